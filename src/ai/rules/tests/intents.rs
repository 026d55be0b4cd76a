use super::{hear, hear_when};
use crate::ai::rules::match_department;
use crate::conversation::interpretation::{Expecting, HoursAsked, Intent};

#[test]
fn a_threat_to_life_is_an_emergency() {
    assert_eq!(hear("um someone is hurt").intent, Intent::Emergency);
    assert_eq!(hear("my husband can't breathe").intent, Intent::Emergency);
    assert_eq!(
        hear("I think he's having a heart attack").intent,
        Intent::Emergency
    );
    assert_eq!(
        hear("there's a fire in the building").intent,
        Intent::Emergency
    );
    assert_eq!(hear("he is bleeding a lot").intent, Intent::Emergency);
}

#[test]
fn a_person_hurt_in_a_crash_is_an_emergency_not_a_repair() {
    // From the auto-repair corpus: both were routed to the body shop.
    for said in [
        "yeah I just got rear ended and the other driver is bleeding from the head",
        "we hit a pedestrian on main street and she's not moving what do I do",
        "my son was in an accident he has a head injury",
    ] {
        assert_eq!(hear(said).intent, Intent::Emergency, "{said}");
    }
    // A car that is not moving is a tow, not a 911 call.
    assert_ne!(
        hear("my car is not moving it just died on the highway").intent,
        Intent::Emergency
    );
}

#[test]
fn an_emergency_wins_over_every_other_intent_and_expectation() {
    assert_eq!(
        hear("bye, actually someone is hurt").intent,
        Intent::Emergency
    );
    for expecting in [
        Expecting::Name,
        Expecting::Phone,
        Expecting::Email,
        Expecting::Reason,
        Expecting::YesNo,
        Expecting::Correction,
    ] {
        assert_eq!(
            hear_when(expecting, "no, someone is hurt").intent,
            Intent::Emergency,
            "{expecting:?}"
        );
    }
}

#[test]
fn asking_about_emergency_service_is_not_an_emergency() {
    assert_ne!(
        hear("do you handle dental emergencies").intent,
        Intent::Emergency
    );
    assert_ne!(
        hear("it's not an emergency but I'd like a call back").intent,
        Intent::Emergency
    );
    assert_ne!(
        hear("my gums are bleeding when I floss").intent,
        Intent::Emergency
    );
}

#[test]
fn farewells_are_goodbyes() {
    for text in [
        "bye",
        "OK thanks, bye bye",
        "that's all",
        "nothing else",
        "no thanks that's it",
        "Thank you!",
    ] {
        assert_eq!(hear(text).intent, Intent::Goodbye, "{text}");
    }
}

#[test]
fn a_plain_no_to_a_yes_no_question_is_no_not_goodbye() {
    assert_eq!(hear_when(Expecting::YesNo, "no").intent, Intent::No);
    assert_eq!(
        hear_when(Expecting::YesNo, "no thank you").intent,
        Intent::No
    );
    assert_eq!(
        hear_when(Expecting::YesNo, "no thanks that's it").intent,
        Intent::Goodbye
    );
}

#[test]
fn casual_agreement_is_yes() {
    for text in [
        "yes",
        "Yeah",
        "yep",
        "sure",
        "correct",
        "that's right",
        "uh huh",
        "yes please",
        "Yes, that's it",
    ] {
        assert_eq!(
            hear_when(Expecting::YesNo, text).intent,
            Intent::Yes,
            "{text}"
        );
    }
}

#[test]
fn casual_disagreement_is_no() {
    for text in [
        "no",
        "nope",
        "no that's wrong",
        "not quite",
        "That's not right",
    ] {
        assert_eq!(
            hear_when(Expecting::YesNo, text).intent,
            Intent::No,
            "{text}"
        );
    }
}

#[test]
fn a_bare_yes_is_yes_even_when_nothing_was_asked() {
    assert_eq!(hear("yes please").intent, Intent::Yes);
    assert_eq!(hear("nope").intent, Intent::No);
}

#[test]
fn asking_for_a_person_is_a_transfer_request() {
    for text in [
        "can I talk to someone",
        "I want to speak to a real person",
        "transfer me please",
        "operator",
        "let me talk to the manager",
        "can I speak with a human",
    ] {
        assert_eq!(
            hear(text).intent,
            Intent::TalkToPerson { department: None },
            "{text}"
        );
    }
}

#[test]
fn naming_a_department_routes_the_transfer_there() {
    assert_eq!(
        hear("put me through to billing").intent,
        Intent::TalkToPerson {
            department: Some(0)
        }
    );
    assert_eq!(
        hear("can I speak with billing").intent,
        Intent::TalkToPerson {
            department: Some(0)
        }
    );
    assert_eq!(
        hear("Billing please").intent,
        Intent::TalkToPerson {
            department: Some(0)
        }
    );
    assert_eq!(
        hear("scheduling department").intent,
        Intent::TalkToPerson {
            department: Some(1)
        }
    );
}

#[test]
fn a_department_is_matched_by_name_or_keyword() {
    let profile = super::profile();
    assert_eq!(match_department("billing", &profile), Some(0));
    assert_eq!(
        match_department("it's about my invoices", &profile),
        Some(0)
    );
    assert_eq!(match_department("the appointment desk", &profile), Some(1));
    assert_eq!(match_department("the parking lot", &profile), None);
}

#[test]
fn saying_it_is_an_emergency_is_urgent_work_not_a_911_call() {
    for text in [
        "It's an emergency!",
        "this is urgent",
        "i need someone out here asap",
    ] {
        let heard = hear(text);
        assert_eq!(heard.intent, Intent::Request { department: None }, "{text}");
        assert!(heard.urgent, "{text}");
    }
}

#[test]
fn message_requests_are_leave_message() {
    for text in [
        "can I leave a message",
        "please have someone call me back",
        "yeah could you take a message",
    ] {
        assert_eq!(hear(text).intent, Intent::LeaveMessage, "{text}");
    }
}

#[test]
fn quote_and_appointment_requests_are_requests() {
    for text in [
        "I'd like to get a quote",
        "I need an estimate",
        "I want to book an appointment",
        "can I schedule an appointment for next week",
        "I'd like to request an appointment",
    ] {
        assert!(
            matches!(hear(text).intent, Intent::Request { .. }),
            "{text}"
        );
    }
}

#[test]
fn hours_questions_are_hours() {
    for text in [
        "when are you open",
        "What are your hours?",
        "are you open on saturday",
        "what time do you close today",
    ] {
        assert!(matches!(hear(text).intent, Intent::Hours(_)), "{text}");
    }
}

#[test]
fn location_questions_are_location() {
    for text in [
        "where are you located",
        "what's your address",
        "can I get directions",
    ] {
        assert_eq!(hear(text).intent, Intent::Location, "{text}");
    }
}

#[test]
fn contact_questions_are_contact() {
    for text in [
        "what's your email",
        "what is your phone number",
        "do you have a website",
    ] {
        assert_eq!(hear(text).intent, Intent::Contact, "{text}");
    }
}

#[test]
fn giving_my_own_email_is_not_a_contact_question() {
    assert_ne!(
        hear("my email is jane at example dot com").intent,
        Intent::Contact
    );
}

#[test]
fn an_uncovered_question_is_still_a_question() {
    let heard = hear("do you sell dog food?");
    assert_eq!(heard.intent, Intent::Question);
    assert_eq!(heard.answer, None);
}

#[test]
fn silence_fillers_and_gibberish_are_unclear() {
    for text in [
        "",
        "   ",
        "um uh",
        "you know like um",
        "asdf qwerty zxcv",
        "\u{0}\u{7}",
    ] {
        assert_eq!(hear(text).intent, Intent::Unclear, "{text:?}");
    }
}

#[test]
fn odd_casing_and_fillers_do_not_hide_the_intent() {
    assert_eq!(
        hear("UM, uh, WHEN are you, like, OPEN").intent,
        Intent::Hours(HoursAsked::Week)
    );
    assert_eq!(
        hear("uh you know I wanna TALK to SOMEONE").intent,
        Intent::TalkToPerson { department: None }
    );
}

#[test]
fn a_bare_name_is_a_name_when_a_name_was_asked_for() {
    let heard = hear_when(Expecting::Name, "john smith");
    assert_eq!(heard.details.name.as_deref(), Some("John Smith"));
    assert_eq!(heard.intent, Intent::LeaveMessage);
    assert_eq!(
        hear_when(Expecting::Name, "it's john")
            .details
            .name
            .as_deref(),
        Some("John")
    );
    assert_eq!(hear("john smith").details.name, None);
}

#[test]
fn bare_digits_are_a_phone_when_a_number_was_asked_for() {
    let heard = hear_when(
        Expecting::Phone,
        "five five five one two three four five six seven",
    );
    assert_eq!(heard.details.phone.as_deref(), Some("+15551234567"));
    assert_eq!(heard.intent, Intent::LeaveMessage);
}

#[test]
fn declining_to_give_an_email_is_no() {
    assert_eq!(
        hear_when(Expecting::Email, "no I don't have one").intent,
        Intent::No
    );
}

#[test]
fn the_whole_answer_is_the_reason_when_a_reason_was_asked_for() {
    let heard = hear_when(
        Expecting::Reason,
        "um my kitchen sink is leaking everywhere",
    );
    assert_eq!(heard.intent, Intent::LeaveMessage);
    assert_eq!(
        heard.details.reason.as_deref(),
        Some("my kitchen sink is leaking everywhere")
    );
}

#[test]
fn naming_the_field_to_correct_is_no_with_the_new_value_when_given() {
    use crate::ai::rules::correction_field;
    use crate::conversation::state::LeadField;
    let heard = hear_when(Expecting::Correction, "the number");
    assert_eq!(heard.intent, Intent::No);
    assert_eq!(correction_field(&heard.text), Some(LeadField::Phone));
    let heard = hear_when(Expecting::Correction, "my name, it should be Jon Smyth");
    assert_eq!(heard.intent, Intent::No);
    assert_eq!(heard.details.name.as_deref(), Some("Jon Smyth"));
    assert_eq!(
        correction_field("the email is wrong"),
        Some(LeadField::Email)
    );
    let heard = hear_when(Expecting::Correction, "the reason is I need a new crown");
    assert_eq!(heard.details.reason.as_deref(), Some("a new crown"));
    assert_eq!(correction_field(&heard.text), Some(LeadField::Reason));
    assert_eq!(
        hear_when(Expecting::Correction, "nothing, it's fine").intent,
        Intent::Yes
    );
    assert_eq!(
        hear_when(Expecting::Correction, "bye").intent,
        Intent::Goodbye
    );
}

#[test]
fn the_text_is_trimmed_cleaned_and_capped() {
    assert_eq!(hear("  hello\u{7} there\n ").text, "hello there");
    assert_eq!(hear(&"a".repeat(2000)).text.chars().count(), 500);
}

#[test]
fn a_statement_that_merely_starts_with_yeah_is_not_a_yes() {
    assert_eq!(
        hear("uh yeah so I got a letter from you and it's confusing").intent,
        Intent::Unclear
    );
    assert_eq!(
        hear("transfer please").intent,
        Intent::TalkToPerson { department: None }
    );
}

/// A landscaping company and a locksmith, neither seen while tuning: the
/// department is weighed over all the keywords said, by meaning of urgency,
/// with word forms and possessives folded.
fn department(name: &str, keywords: &[&str]) -> crate::conversation::profile::Department {
    crate::conversation::profile::Department {
        name: name.into(),
        phone: Some("+15551239999".into()),
        keywords: keywords.iter().map(|k| k.to_string()).collect(),
    }
}

#[test]
fn keywords_are_weighed_across_departments_and_urgent_work_wins() {
    let mut profile = super::profile();
    profile.departments = vec![
        department("Accounts", &["invoice", "statement", "payment plan"]),
        department(
            "Storm Cleanup",
            &[
                "fallen tree",
                "tree fell",
                "flooded",
                "blocking my driveway",
            ],
        ),
        department(
            "Lawn Care",
            &["mowing", "mow my lawn", "tree trimming", "tree"],
        ),
    ];
    // A two-word keyword outweighs a one-word one.
    assert_eq!(
        match_department("the tree trimming on my invoice looks wrong", &profile),
        Some(2)
    );
    // Possessives fold: "mow our lawn" meets "mow my lawn".
    assert_eq!(
        match_department("could someone mow our lawn every other week", &profile),
        Some(2)
    );
    // One extra word inside a long keyword phrase.
    assert_eq!(
        match_department("a branch is blocking my whole driveway", &profile),
        Some(1)
    );
    // Urgent work goes to the department whose keywords describe it, over
    // a common word said along the way.
    assert_eq!(
        match_department(
            "our yard is flooded and a tree is down on the fence",
            &profile
        ),
        Some(1)
    );
    // Calm calls keep going by their keywords.
    assert_eq!(
        match_department("i'd like a quote for mowing", &profile),
        Some(2)
    );
}

#[test]
fn derived_word_forms_meet_their_keyword() {
    let mut profile = super::profile();
    profile.departments = vec![
        department("Front Desk", &["receipt", "hours"]),
        department("Collections Defense", &["garnishment", "levied", "auditor"]),
    ];
    for text in [
        "my employer says they're garnishing me",
        "the state levy came in the mail",
        "we're being audited next month",
    ] {
        assert_eq!(match_department(text, &profile), Some(1), "{text}");
    }
    // Not a stem of "statement" or "payment": short roots stay apart.
    profile.departments = vec![department("Accounts", &["statement"])];
    assert_eq!(match_department("do i need a state permit", &profile), None);
}

#[test]
fn a_keyword_said_apart_or_by_its_meaning_still_counts() {
    let mut profile = super::profile();
    profile.departments = vec![
        department("Front Office", &["invoice", "hours"]),
        department("Permits", &["permit application", "inspection deadline"]),
        department("Repairs", &["ac is out", "furnace"]),
    ];
    // Words of a keyword said apart and in another order.
    assert_eq!(
        match_department("what happens with the application for my permit", &profile),
        Some(1)
    );
    // A deadline close at hand says "deadline".
    assert_eq!(
        match_department(
            "the city wants the inspection paperwork by tomorrow",
            &profile
        ),
        Some(1)
    );
    // Short words and particles said apart say nothing.
    assert_eq!(
        match_department("can someone check out my ac next month", &profile),
        None
    );
}

#[test]
fn word_endings_and_related_words_find_the_department() {
    let mut profile = super::profile();
    profile.departments = vec![
        department("Scheduling", &["book", "tune up", "cancel", "tape"]),
        department("Catering", &["party", "bride"]),
    ];
    // "Tuned" meets "tune".
    assert_eq!(
        match_department("could you get the piano tuned up before spring", &profile),
        Some(0)
    );
    // "Tapped" is not "tape".
    assert_eq!(match_department("we tapped the keg", &profile), None);
    // A tie between "cancel" and "party" goes to the department the rest of
    // the words are about (a wedding, a ceremony).
    assert_eq!(
        match_department(
            "the caterer for our wedding party cancelled and the ceremony is tonight",
            &profile
        ),
        Some(1)
    );
}

#[test]
fn whoever_is_in_charge_is_a_person_not_a_billing_charge() {
    // The test business's Billing handles bills: "in charge" is not one.
    for text in [
        "can i talk to whoever's in charge tonight please",
        "i need to speak to the person in charge",
    ] {
        assert_eq!(
            hear(text).intent,
            Intent::TalkToPerson { department: None },
            "{text}"
        );
    }
    assert_eq!(
        hear("can i talk to someone about a charge on my bill").intent,
        Intent::TalkToPerson {
            department: Some(0)
        }
    );
}

#[test]
fn a_happy_hour_or_the_rush_hour_is_not_a_question_about_opening_hours() {
    for text in [
        "do you guys have like a happy hour",
        "is it busy during the lunch rush hour",
    ] {
        assert!(
            !matches!(hear(text).intent, Intent::Hours(_)),
            "{text}: {:?}",
            hear(text).intent
        );
    }
    assert!(matches!(
        hear("what are your hours on sunday").intent,
        Intent::Hours(_)
    ));
}

#[test]
fn an_hours_question_before_a_plan_to_come_in_is_answered_first() {
    for text in [
        "hey are you guys open tomorrow i wanted to come in for lunch",
        "are you open on sunday i need to come in and drop off some paperwork",
    ] {
        assert!(
            matches!(hear(text).intent, Intent::Hours(_)),
            "{text}: {:?}",
            hear(text).intent
        );
    }
    assert!(matches!(
        hear("i'd like to book an appointment for tomorrow morning").intent,
        Intent::Request { .. }
    ));
}
