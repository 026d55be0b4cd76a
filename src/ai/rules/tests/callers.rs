//! How real callers open a call, as speech recognition writes them, and
//! what the rules must make of it: urgency, small talk, hours for a day,
//! routing by meaning, and a "yeah" that is really a new question.

use super::{hear, hear_when};
use crate::conversation::interpretation::{Expecting, HoursAsked, Intent, SmallTalk};

#[derive(Debug, PartialEq)]
enum Want {
    Emergency,
    Urgent,
    Request,
    Department(usize),
    Talk(SmallTalk),
    Hours(HoursAsked),
    Message,
    Goodbye,
    Spanish,
}

fn check(cases: &[(&str, Want)], expecting: Expecting) -> Vec<String> {
    let mut wrong = Vec::new();
    for (text, want) in cases {
        let heard = hear_when(expecting, text);
        let ok = match want {
            Want::Emergency => heard.intent == Intent::Emergency,
            Want::Urgent => heard.urgent && heard.intent != Intent::Emergency,
            Want::Request => matches!(heard.intent, Intent::Request { .. }) && !heard.urgent,
            Want::Department(d) => {
                matches!(
                    heard.intent,
                    Intent::Request { .. } | Intent::TalkToPerson { .. }
                ) && heard.department == Some(*d)
            }
            Want::Talk(talk) => heard.intent == Intent::SmallTalk(*talk),
            Want::Hours(asked) => heard.intent == Intent::Hours(*asked),
            Want::Message => heard.intent == Intent::LeaveMessage,
            Want::Goodbye => heard.intent == Intent::Goodbye,
            Want::Spanish => heard.language.as_deref() == Some("es"),
        };
        if !ok {
            wrong.push(format!(
                "{text:?}: wanted {want:?}, got {:?} urgent={} department={:?}",
                heard.intent, heard.urgent, heard.department
            ));
        }
    }
    wrong
}

#[test]
fn how_callers_open_a_call() {
    use Want::*;
    let cases = [
        (
            "yeah hi um theres water coming through my kitchen ceiling like a lot",
            Urgent,
        ),
        ("my upstairs toilet is overflowing and it wont stop", Urgent),
        (
            "hi i think a pipe burst in the basement theres water everywhere",
            Urgent,
        ),
        ("my molar is throbbing and my whole jaw is swollen", Urgent),
        (
            "i chipped my tooth and its killing me can someone see me today",
            Urgent,
        ),
        ("my son knocked out his front tooth playing hockey", Urgent),
        ("its an emergency", Urgent),
        ("yeah this is kind of urgent i need someone asap", Urgent),
        ("our sewer is backing up into the basement", Urgent),
        ("my husband isnt breathing", Emergency),
        ("there's smoke and i think the house is on fire", Emergency),
        ("i smell gas really strong in the kitchen", Emergency),
        ("my mom just collapsed", Emergency),
        ("hi", Talk(SmallTalk::Hello)),
        ("hello?", Talk(SmallTalk::AreYouThere)),
        ("hello is anybody there", Talk(SmallTalk::AreYouThere)),
        ("sorry what", Talk(SmallTalk::Repeat)),
        ("can you say that again please", Talk(SmallTalk::Repeat)),
        ("sorry i didnt catch that", Talk(SmallTalk::Repeat)),
        ("wait is this a robot", Talk(SmallTalk::WhoAmITalkingTo)),
        (
            "am i talking to a real person",
            Talk(SmallTalk::WhoAmITalkingTo),
        ),
        ("are you guys open right now", Hours(HoursAsked::Now)),
        ("are you open", Hours(HoursAsked::Now)),
        ("what time do you close today", Hours(HoursAsked::Today)),
        ("what time do you guys close", Hours(HoursAsked::Today)),
        ("do you work sundays", Hours(HoursAsked::Day(6))),
        ("are you open on saturday", Hours(HoursAsked::Day(5))),
        ("are you open tomorrow", Hours(HoursAsked::Tomorrow)),
        ("what are your hours", Hours(HoursAsked::Week)),
        ("are you open on the weekend", Hours(HoursAsked::Weekend)),
        ("i have a question about my bill", Department(0)),
        ("yeah i got charged twice on my statement", Department(0)),
        ("i'd like to make an appointment", Department(1)),
        (
            "hi im a new patient and id like to book a cleaning",
            Department(1),
        ),
        ("can i get a quote for a crown", Request),
        ("i need someone to take a look at my retainer", Request),
        ("can you have someone call me back", Message),
        ("i just want to leave a message for doctor patel", Message),
        ("okay thanks bye", Goodbye),
        ("no that's it thank you bye", Goodbye),
        ("hola necesito una cita", Spanish),
        ("habla español", Spanish),
    ];
    let wrong = check(&cases, Expecting::Anything);
    assert!(
        wrong.is_empty(),
        "{} wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn a_yes_word_before_a_new_question_is_the_question() {
    for (text, want) in [
        (
            "okay what time do you close",
            Intent::Hours(HoursAsked::Today),
        ),
        ("yeah um where are you located", Intent::Location),
        (
            "no but can i talk to someone in billing",
            Intent::TalkToPerson {
                department: Some(0),
            },
        ),
        ("no i would like to leave a message", Intent::LeaveMessage),
        ("yes please", Intent::Yes),
        ("yeah thats right", Intent::Yes),
        ("no thank you", Intent::No),
        ("okay thanks bye", Intent::Goodbye),
    ] {
        assert_eq!(hear_when(Expecting::YesNo, text).intent, want, "{text}");
    }
    // "Yes, that's right, thanks, bye" confirms and leaves.
    let heard = hear_when(Expecting::YesNo, "yes thats right thanks bye");
    assert_eq!(heard.intent, Intent::Yes);
    assert!(heard.goodbye);
    assert!(!hear("do you do emergency appointments").urgent);
}
