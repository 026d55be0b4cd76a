//! Names as speech recognition writes them when callers say, spell and
//! correct them.

use super::{hear_in_call, hear_when};
use crate::conversation::interpretation::{Details, Expecting, Intent};

fn name_heard(expecting: Expecting, text: &str) -> Option<String> {
    hear_when(expecting, text).details.name
}

fn on_file(name: &str) -> Details {
    Details {
        name: Some(name.into()),
        ..Details::default()
    }
}

#[test]
fn a_bare_answer_to_the_name_question_is_the_name() {
    for (said, name) in [
        ("john smith", "John Smith"),
        ("Maria Gonzalez.", "Maria Gonzalez"),
        ("yeah it's dave", "Dave"),
        ("sure, priya patel", "Priya Patel"),
        ("uh this is kim", "Kim"),
        ("tom here", "Tom"),
        ("its rachel thanks", "Rachel"),
        ("Mary Ann Jones please", "Mary Ann Jones"),
        ("my name is Luis and I'm calling about my bill", "Luis"),
        ("first name's bob", "Bob"),
        ("bill thompson", "Bill Thompson"),
        ("it's will", "Will"),
    ] {
        assert_eq!(
            name_heard(Expecting::Name, said).as_deref(),
            Some(name),
            "{said}"
        );
    }
}

#[test]
fn a_spelled_name_is_taken_letter_by_letter() {
    for (said, name) in [
        ("its nguyen n g u y e n", "Nguyen"),
        ("s m i t h", "Smith"),
        ("S M I T H", "Smith"),
        ("s-m-i-t-h", "Smith"),
        ("it's spelled k o w a l s k i", "Kowalski"),
        ("sean s e a n", "Sean"),
        ("shaun like s h a u n", "Shaun"),
        ("john smyth s m y t h", "John Smyth"),
        ("mary s m i t h", "Mary Smith"),
        ("anne a double n e", "Anne"),
        ("k a t h r y n", "Kathryn"),
        ("ok my name is aisha khan a i s h a", "Aisha Khan"),
        ("yeah my name's jennifer lopez l o p e z", "Jennifer Lopez"),
    ] {
        assert_eq!(
            name_heard(Expecting::Name, said).as_deref(),
            Some(name),
            "{said}"
        );
    }
}

#[test]
fn letters_that_sound_like_the_word_replace_the_recognisers_guess() {
    assert_eq!(
        name_heard(Expecting::Name, "katherine k a t h r y n").as_deref(),
        Some("Kathryn")
    );
    assert_eq!(
        name_heard(Expecting::Name, "it's jeff j e f f").as_deref(),
        Some("Jeff")
    );
}

#[test]
fn initials_are_kept_as_initials() {
    for (said, name) in [
        ("j r tolkien", "J. R. Tolkien"),
        ("j r r tolkien", "J. R. R. Tolkien"),
        ("it's j smith", "J. Smith"),
        ("my name is t j miller", "T. J. Miller"),
        ("o j simpson", "O. J. Simpson"),
    ] {
        assert_eq!(
            name_heard(Expecting::Name, said).as_deref(),
            Some(name),
            "{said}"
        );
    }
}

#[test]
fn spelling_notes_fix_the_letter_they_name() {
    for (said, name) in [
        ("smith with an i", "Smith"),
        ("john smith with an i", "John Smith"),
        ("smith with a y", "Smyth"),
        ("ann with no e", "Ann"),
        ("anne without the e", "Ann"),
        ("its jon without the h", "Jon"),
        ("john without an h", "Jon"),
        ("actually it's katherine with a k", "Katherine"),
        ("catherine with a k", "Katherine"),
        ("eric with a k", "Erik"),
        ("mark with a c", "Marc"),
        ("ann with an e at the end", "Anne"),
        ("philip with two ls", "Phillip"),
        ("phillip with one l", "Philip"),
        ("sara with an h", "Sarah"),
        ("jane with a y", "Jayne"),
    ] {
        assert_eq!(
            name_heard(Expecting::Name, said).as_deref(),
            Some(name),
            "{said}"
        );
    }
}

#[test]
fn surnames_with_particles_and_prefixes_keep_their_shape() {
    for (said, name) in [
        ("maria de la cruz", "Maria de la Cruz"),
        ("this is pieter van der berg", "Pieter van der Berg"),
        ("sean o'brien", "Sean O'Brien"),
        ("sean o brien", "Sean O'Brien"),
        ("my name is kate mcdonald", "Kate McDonald"),
        ("kate mc donald", "Kate McDonald"),
        ("name's Mary Smith-Jones", "Mary Smith-Jones"),
        ("its doctor amy chen", "Dr Amy Chen"),
    ] {
        assert_eq!(
            name_heard(Expecting::Name, said).as_deref(),
            Some(name),
            "{said}"
        );
    }
}

#[test]
fn a_name_taken_back_in_the_same_breath_is_the_second_one() {
    for (said, name) in [
        ("jon no sorry john", "John"),
        ("it's ann, sorry, anne", "Anne"),
        ("john smith no sorry smyth", "John Smyth"),
        ("my name is jeff i mean geoff", "Geoff"),
    ] {
        assert_eq!(
            name_heard(Expecting::Name, said).as_deref(),
            Some(name),
            "{said}"
        );
    }
}

#[test]
fn answers_that_are_not_names_give_no_name() {
    for said in [
        "it's five oh three five five five",
        "why do you need that",
        "i just want someone to call me back",
        "this is ridiculous",
        "are you kidding me",
        "i'd rather not say",
        "whatever just take the message",
        "hello?",
        "um",
        "it's about my bill",
        "i'm calling about my appointment",
        "none of your business",
        "sorry what",
        "it's a leak",
    ] {
        assert_eq!(name_heard(Expecting::Name, said), None, "{said}");
    }
}

#[test]
fn asking_why_the_name_is_needed_is_a_question() {
    for said in ["why do you need that", "why do you need my name", "uh why"] {
        assert_eq!(
            hear_when(Expecting::Name, said).intent,
            Intent::Question,
            "{said}"
        );
    }
}

#[test]
fn declining_the_name_carries_on_with_the_message() {
    for said in [
        "none of your business",
        "i'd rather not say",
        "i just want someone to call me back",
        "this is ridiculous",
        "you don't need my name",
    ] {
        let heard = hear_when(Expecting::Name, said);
        assert_eq!(heard.intent, Intent::LeaveMessage, "{said}");
        assert_eq!(heard.details.reason, None, "{said}");
    }
}

#[test]
fn a_name_on_file_is_not_replaced_by_answers_to_other_questions() {
    let lead = on_file("Jane Doe");
    for (expecting, said) in [
        (Expecting::Phone, "yes that's fine"),
        (Expecting::Phone, "it's my cell"),
        (Expecting::Phone, "it's mobile 503 555 0142"),
        (Expecting::Email, "it's personal"),
        (Expecting::Reason, "I'm moving next week"),
        (Expecting::Reason, "this is regarding my crown"),
        (Expecting::YesNo, "yes it is"),
        (Expecting::YesNo, "it's correct"),
    ] {
        let heard = hear_in_call(expecting, said, &lead);
        assert_eq!(heard.details.name, None, "{said}");
    }
}

#[test]
fn a_name_correction_changes_only_the_word_it_resembles() {
    let lead = on_file("Anne Smith");
    for (expecting, said, name) in [
        (Expecting::Name, "no, ann with no e", "Ann Smith"),
        (Expecting::Name, "ann", "Ann Smith"),
        (Expecting::Name, "it's smyth s m y t h", "Anne Smyth"),
        (Expecting::Name, "the last name is smythe", "Anne Smythe"),
        (Expecting::Name, "first name is annie", "Annie Smith"),
        (Expecting::Name, "bob jones", "Bob Jones"),
        (Expecting::YesNo, "no ann with no e", "Ann Smith"),
        (
            Expecting::YesNo,
            "no the name is spelled s m y t h",
            "Anne Smyth",
        ),
        (
            Expecting::YesNo,
            "my last name is smythe actually",
            "Anne Smythe",
        ),
        (
            Expecting::Correction,
            "the name, it's ann without an e",
            "Ann Smith",
        ),
    ] {
        let heard = hear_in_call(expecting, said, &lead);
        assert_eq!(heard.details.name.as_deref(), Some(name), "{said}");
    }
}

#[test]
fn a_spelling_note_alone_corrects_the_name_on_file() {
    let lead = on_file("Catherine Jones");
    let heard = hear_in_call(Expecting::YesNo, "no it's with a k", &lead);
    assert_eq!(heard.details.name.as_deref(), Some("Katherine Jones"));
}

#[test]
fn a_name_given_with_a_number_keeps_both() {
    let heard = hear_when(
        Expecting::Name,
        "its maria gonzalez five oh three five five five oh one four two",
    );
    assert_eq!(heard.details.name.as_deref(), Some("Maria Gonzalez"));
    assert_eq!(heard.details.phone.as_deref(), Some("+15035550142"));
}

#[test]
fn names_from_the_corpus_said_with_corrections_and_spellings() {
    for (said, name) in [
        ("anne lowry oh sorry it's ann without an e", "Ann Lowry"),
        (
            "john peterson no wait it's jon without the h",
            "Jon Peterson",
        ),
        (
            "yeah it's siobhan that's s i o b h a n walsh",
            "Siobhan Walsh",
        ),
        (
            "it's jon j o n no h and the last name is peterson",
            "Jon Peterson",
        ),
        ("first name maria last name de la cruz", "Maria de la Cruz"),
        ("my last name is okafor", "Okafor"),
    ] {
        assert_eq!(
            name_heard(Expecting::Name, said).as_deref(),
            Some(name),
            "{said}"
        );
    }
}

#[test]
fn someone_elses_name_is_not_the_callers() {
    let lead = on_file("Derek Hall");
    for said in [
        "my landlord's name is bob smith and he said to call you about the leaking shower",
        "my dog's name is bailey and he's due for his booster",
        "her name is doctor lee",
    ] {
        let heard = hear_in_call(Expecting::Reason, said, &lead);
        assert_eq!(heard.details.name, None, "{said}");
    }
    let heard = hear_in_call(
        Expecting::Reason,
        "my dog's name is bailey and he's due for his booster",
        &lead,
    );
    assert!(heard.details.reason.unwrap_or_default().contains("bailey"));
}

#[test]
fn words_that_describe_rather_than_name_are_not_names() {
    for (expecting, said) in [
        (
            Expecting::Anything,
            "there's a bump on my gum and it's swollen and there's pus",
        ),
        (
            Expecting::Anything,
            "i'm pregnant and i have a cleaning coming up",
        ),
        (Expecting::Name, "oh perfect thank you"),
        (
            Expecting::Anything,
            "i'm diabetic so i wanted to ask about implants",
        ),
        (Expecting::Name, "ugh seriously i just want a person"),
    ] {
        assert_eq!(hear_when(expecting, said).details.name, None, "{said}");
    }
}

#[test]
fn with_no_name_on_file_a_name_introduced_at_another_question_is_taken() {
    let no_name = Details::default();
    for (expecting, said, name) in [
        (Expecting::YesNo, "fine it's tessa grant", "Tessa Grant"),
        (Expecting::YesNo, "ok fine it's brian walsh", "Brian Walsh"),
        (
            Expecting::Email,
            "no, and my name is raymond oduya",
            "Raymond Oduya",
        ),
    ] {
        let heard = hear_in_call(expecting, said, &no_name);
        assert_eq!(heard.details.name.as_deref(), Some(name), "{said}");
    }
}

#[test]
fn letters_spelled_apart_respell_the_word_they_spell() {
    let lead = on_file("Anne Kowall");
    let heard = hear_in_call(
        Expecting::YesNo,
        "no it's ann with no e and kowal is k o w a l",
        &lead,
    );
    assert_eq!(heard.details.name.as_deref(), Some("Ann Kowal"));
}

#[test]
fn a_day_or_time_after_call_me_is_not_a_name() {
    for said in [
        "can someone call me monday about my order",
        "please call me tomorrow morning",
        "just call me tonight after six",
        "you can call me anytime",
        "call me friday afternoon please",
    ] {
        for expecting in [Expecting::Anything, Expecting::Reason, Expecting::Phone] {
            assert_eq!(name_heard(expecting, said), None, "{said}");
        }
    }
    assert_eq!(
        name_heard(Expecting::Anything, "hi call me rosa").as_deref(),
        Some("Rosa")
    );
}

#[test]
fn a_name_taken_back_with_put_or_make_that_is_the_new_name() {
    for (said, name) in [
        (
            "this is mike no sorry put michael michael delgado",
            "Michael Delgado",
        ),
        ("it's jen no make that jennifer lowe", "Jennifer Lowe"),
        ("sam no wait write down samuel ortiz", "Samuel Ortiz"),
    ] {
        assert_eq!(
            name_heard(Expecting::Name, said).as_deref(),
            Some(name),
            "{said}"
        );
    }
}

#[test]
fn a_surname_said_first_joins_the_first_name_said_after_it() {
    for (said, name) in [
        (
            "it's mcallister m c a l l i s t e r first name fiona",
            "Fiona McAllister",
        ),
        ("okafor first name chidi", "Chidi Okafor"),
    ] {
        assert_eq!(
            name_heard(Expecting::Name, said).as_deref(),
            Some(name),
            "{said}"
        );
    }
    // A first name said alone corrects the first name on file.
    let heard = hear_in_call(Expecting::Name, "first name john", &on_file("Jon Smith"));
    assert_eq!(heard.details.name.as_deref(), Some("John Smith"));
}

#[test]
fn a_surname_respelled_after_no_at_the_read_back_corrects_it() {
    let heard = hear_in_call(
        Expecting::YesNo,
        "no it's andersen with an e a n d e r s e n",
        &on_file("Carl Anderson"),
    );
    assert_eq!(heard.details.name.as_deref(), Some("Carl Andersen"));
}

#[test]
fn its_inside_a_sentence_says_what_something_is_not_who_is_calling() {
    for said in [
        "we ate there saturday and we think it's food poisoning",
        "the sink is making a noise i guess it's the disposal",
        "i'm not sure but maybe it's mold",
    ] {
        assert_eq!(name_heard(Expecting::Anything, said), None, "{said}");
    }
    for (said, name) in [
        ("hi it's jennifer okafor", "Jennifer Okafor"),
        ("yeah hello it's dan from the corner store", "Dan"),
    ] {
        assert_eq!(
            name_heard(Expecting::Anything, said).as_deref(),
            Some(name),
            "{said}"
        );
    }
}
