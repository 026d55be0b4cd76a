//! Single behaviours of retrieval, each on a small knowledge base.

use super::super::{KnowledgeEntry, KnowledgeIndex};
use crate::ai::rules::normalize::words;

fn entry(id: i64, question: &str, answer: &str) -> KnowledgeEntry {
    KnowledgeEntry {
        id,
        question: question.into(),
        answer: answer.into(),
        category: None,
        priority: 0,
        also_asked: Vec::new(),
    }
}

fn answer_ids(index: &KnowledgeIndex, text: &str, topic: Option<i64>) -> Vec<i64> {
    index
        .answers(&words(text), topic)
        .iter()
        .map(|a| a.entry_id)
        .collect()
}

#[test]
fn a_tenants_extra_phrasing_finds_its_entry() {
    let plain = vec![
        entry(1, "Do you offer boarding?", "Yes, $45 a night."),
        entry(2, "Do you do grooming?", "Baths and nail trims."),
    ];
    let mut phrased = plain.clone();
    phrased[0].also_asked = vec!["Can you look after my dog while I'm away?".into()];
    let question = "could you look after my dog while were away";
    assert_eq!(
        answer_ids(&KnowledgeIndex::build(plain), question, None),
        Vec::<i64>::new()
    );
    assert_eq!(
        answer_ids(&KnowledgeIndex::build(phrased), question, None),
        [1]
    );
}

#[test]
fn two_equally_good_entries_answer_nothing_unless_the_tenant_prefers_one() {
    let mut entries = vec![
        entry(1, "How much is a service call?", "Our service call is $89."),
        entry(
            2,
            "How much is drain cleaning?",
            "Drain cleaning starts at $149.",
        ),
        entry(3, "Are you licensed?", "Yes, license PL-12345."),
    ];
    let question = "um how much do you guys charge";
    let tied = KnowledgeIndex::build(entries.clone());
    assert_eq!(answer_ids(&tied, question, None), Vec::<i64>::new());
    entries[0].priority = 10;
    let preferred = KnowledgeIndex::build(entries);
    assert_eq!(answer_ids(&preferred, question, None), [1]);
    assert_eq!(
        answer_ids(&preferred, "how much is drain cleaning", None),
        [2]
    );
}

#[test]
fn speech_hints_include_the_tenants_extra_phrasings() {
    let mut boarding = entry(1, "Do you offer boarding?", "Yes.");
    boarding.also_asked = vec!["Do you have a kennel?".into()];
    let hints = KnowledgeIndex::build(vec![boarding]).hint_keywords();
    assert!(hints.contains(&"boarding".to_string()), "{hints:?}");
    assert!(hints.contains(&"kennel".to_string()), "{hints:?}");
}

#[test]
fn a_follow_up_without_a_fitting_answer_is_not_answered_from_an_unrelated_entry() {
    let index = KnowledgeIndex::build(vec![
        entry(
            1,
            "How much is drain cleaning?",
            "Drain cleaning starts at $149.",
        ),
        entry(
            2,
            "What's included in a tune-up?",
            "A tune-up includes a safety check.",
        ),
    ]);
    assert_eq!(
        answer_ids(&index, "is that included", Some(1)),
        Vec::<i64>::new()
    );
    assert_eq!(
        answer_ids(&index, "whats included in a tune up", Some(1)),
        [2]
    );
}

#[test]
fn a_request_that_asks_nothing_is_not_answered_from_an_entry_naming_the_same_person() {
    let index = KnowledgeIndex::build(vec![
        entry(
            1,
            "What are your hourly rates?",
            "Attorney time is $275 an hour for Mr. Whitaker and Ms. Osei.",
        ),
        entry(
            2,
            "How quickly will an attorney call me back?",
            "We return calls within one business day.",
        ),
    ]);
    for text in [
        "message for mr whitaker please",
        "i wanna leave my lawyer a message",
    ] {
        assert_eq!(answer_ids(&index, text, None), Vec::<i64>::new(), "{text}");
    }
    assert_eq!(
        answer_ids(&index, "how much does mr whitaker charge an hour", None),
        [1]
    );
}

#[test]
fn asking_to_be_booked_is_not_a_question_about_the_service() {
    let index = KnowledgeIndex::build(vec![
        entry(1, "How much are vaccines?", "Rabies is $28."),
        entry(2, "How much is a cleaning?", "A cleaning is $165."),
    ]);
    for text in [
        "ok whatever can you book my cat in for her shots",
        "ok fine i need to book a cleaning",
    ] {
        assert_eq!(answer_ids(&index, text, None), Vec::<i64>::new(), "{text}");
    }
    assert_eq!(answer_ids(&index, "how much are her shots", None), [1]);
}

fn also(mut e: KnowledgeEntry, phrasings: &[&str]) -> KnowledgeEntry {
    e.also_asked = phrasings.iter().map(|p| p.to_string()).collect();
    e
}

#[test]
fn a_check_to_pay_with_is_not_a_check_of_the_pipes() {
    let index = KnowledgeIndex::build(vec![
        entry(
            1,
            "How much is a camera check of my sewer line?",
            "A sewer camera inspection is $250 with a video of the line.",
        ),
        entry(
            2,
            "How can I pay?",
            "We take cash, all major cards and Zelle. Sorry, no personal checks.",
        ),
        entry(3, "Are you licensed?", "Yes, license PL-12345."),
    ]);
    for text in [
        "can i pay by check",
        "when the plumber is done can i pay with a check",
        "do you take personal checks",
    ] {
        assert_eq!(
            answer_ids(&index, text, None),
            [2],
            "{text}\n{}",
            index.explain(&words(text))
        );
    }
    assert_eq!(
        answer_ids(
            &index,
            "how much to check my sewer line with a camera",
            None
        ),
        [1]
    );
}

#[test]
fn a_clause_saying_when_asks_for_no_time() {
    let index = KnowledgeIndex::build(vec![
        entry(1, "When are you open?", "Monday to Friday, 6 AM to 9 PM."),
        entry(
            2,
            "Do you have towels?",
            "Yes, towels are free for members.",
        ),
    ]);
    assert_eq!(
        answer_ids(&index, "when i come in after work do you have towels", None),
        [2]
    );
    assert_eq!(answer_ids(&index, "when are you guys open", None), [1]);
}

#[test]
fn what_the_caller_adds_after_the_question_does_not_hide_it() {
    let index = KnowledgeIndex::build(vec![
        entry(
            1,
            "Do you have a pool?",
            "Yes, a 25-meter lap pool open all day.",
        ),
        entry(
            2,
            "Do you offer personal training?",
            "Yes, sessions are $60.",
        ),
        also(
            entry(
                3,
                "Do you have vegan options?",
                "Most of our curries can be made vegan.",
            ),
            &["Is there anything vegan on the menu?"],
        ),
    ]);
    for (text, expected) in [
        (
            "do you guys have a pool my daughter swims on a club team",
            1,
        ),
        ("is there a pool i never know which location has one", 1),
        (
            "do you have any vegan options or is it all meat and cheese",
            3,
        ),
    ] {
        assert_eq!(
            answer_ids(&index, text, None),
            [expected],
            "{text}\n{}",
            index.explain(&words(text))
        );
    }
    // The question itself is not covered: what follows it does not help.
    for text in [
        "do you have a climbing wall my son loves the pool",
        "do you have a sauna or just a pool",
    ] {
        assert_eq!(answer_ids(&index, text, None), Vec::<i64>::new(), "{text}");
    }
}

#[test]
fn two_questions_after_a_preamble_and_a_relative_that_get_both_answers() {
    let index = KnowledgeIndex::build(vec![
        entry(1, "Can I bring my dog?", "Dogs are welcome on the patio."),
        entry(2, "Is there parking?", "Free parking behind the building."),
        entry(3, "Do you deliver?", "We deliver within 3 miles."),
    ]);
    assert_eq!(
        answer_ids(
            &index,
            "two quick things can i bring my dog and is there parking that i can use",
            None
        ),
        [1, 2]
    );
}

#[test]
fn a_name_only_one_answer_lists_decides_between_close_entries() {
    let index = KnowledgeIndex::build(vec![
        entry(
            1,
            "What forms of payment do you take?",
            "Cash, cards and Venmo.",
        ),
        also(
            entry(
                2,
                "Do you offer payment plans?",
                "Yes, for catering orders over $500.",
            ),
            &["Can I make payments?"],
        ),
    ]);
    assert_eq!(answer_ids(&index, "do you take venmo", None), [1]);
    // Neither names it: no entry is clearly the answer.
    assert_eq!(
        answer_ids(&index, "do you take bitcoin", None),
        Vec::<i64>::new()
    );
}

#[test]
fn a_number_no_entry_has_is_a_value_not_a_topic() {
    let index = KnowledgeIndex::build(vec![
        also(
            entry(
                1,
                "Do you fix old faucets?",
                "Yes, we repair and rebuild faucets of any age.",
            ),
            &["Can you repair my faucet?"],
        ),
        entry(
            2,
            "Do you install water heaters?",
            "Yes, tank and tankless.",
        ),
    ]);
    assert_eq!(answer_ids(&index, "can you fix my 1970s faucet", None), [1]);
}

#[test]
fn how_quick_asks_for_a_time() {
    let index = KnowledgeIndex::build(vec![
        entry(
            1,
            "How soon can a technician come out?",
            "Usually the same day, within 4 hours for emergencies.",
        ),
        entry(2, "Do you do drain cleaning?", "Yes, from $149."),
    ]);
    assert_eq!(
        answer_ids(&index, "how quick can you get a technician out here", None),
        [1]
    );
}

#[test]
fn words_said_together_as_an_answer_lists_them_find_it() {
    let index = KnowledgeIndex::build(vec![
        entry(
            1,
            "What don't you do?",
            "We don't do tree removal, stump grinding or snow plowing.",
        ),
        entry(
            2,
            "How much is lawn mowing?",
            "Weekly mowing starts at $45 for a small yard.",
        ),
        entry(
            3,
            "Do you trim hedges?",
            "Yes, hedge and shrub trimming from $60.",
        ),
    ]);
    assert_eq!(
        answer_ids(&index, "hi do you guys do stump grinding", None),
        [1]
    );
    // The same words apart are not the listed service.
    assert_eq!(
        answer_ids(&index, "is grinding hedge clippings extra", None),
        Vec::<i64>::new()
    );
}

#[test]
fn a_question_after_a_statement_is_answered_only_from_an_entry_that_fits_it_all() {
    let index = KnowledgeIndex::build(vec![
        entry(
            1,
            "Do you install ceiling fans?",
            "Yes, ceiling fan installation is $150.",
        ),
        entry(
            2,
            "Do you do surge protection?",
            "Whole-house surge protectors are $350 installed, and they protect every outlet from lightning.",
        ),
    ]);
    // "Put in" alone would find the ceiling fans.
    let text =
        "we get a lot of lightning and my tv got fried is there something you can put in for that";
    assert!(!answer_ids(&index, text, None).contains(&1), "{text}");
    assert_eq!(
        answer_ids(
            &index,
            "my tv got fried in the storm do you do surge protection",
            None
        ),
        [2]
    );
}

#[test]
fn a_brand_one_answer_lists_is_asked_about_as_if_in_its_question() {
    let index = KnowledgeIndex::build(vec![
        entry(
            1,
            "What brands do you service?",
            "We service Carrier, Trane, Lennox and Rheem equipment.",
        ),
        entry(
            2,
            "How much is a new furnace?",
            "A new furnace starts at $4,500 installed.",
        ),
        entry(3, "Do you offer financing?", "Yes, 0% for 18 months."),
        entry(4, "Are you licensed?", "Yes, license HV-2231."),
    ]);
    assert_eq!(answer_ids(&index, "do you guys work on rheem", None), [1]);
    // A brand with more the entries do not know is not enough.
    assert_eq!(
        answer_ids(&index, "do you sell rheem water softeners and salt", None),
        Vec::<i64>::new()
    );
}

#[test]
fn a_generic_name_for_the_thing_does_not_count_against_it() {
    let index = KnowledgeIndex::build(vec![
        entry(
            1,
            "Do you install water softeners?",
            "Yes, softeners start at $1,800 installed.",
        ),
        entry(
            2,
            "What don't you do?",
            "We don't work on commercial units or irrigation.",
        ),
        entry(3, "Are you licensed?", "Yes, license PL-4410."),
    ]);
    assert_eq!(
        answer_ids(&index, "do you guys put in water softener systems", None),
        [1]
    );
}

#[test]
fn words_about_the_line_itself_do_not_hide_the_question() {
    let index = KnowledgeIndex::build(vec![
        entry(1, "How much is a deep tissue massage?", "$95 for an hour."),
        entry(2, "Do you sell gift cards?", "Yes, in any amount."),
        entry(3, "Where do I park?", "Free parking behind the building."),
    ]);
    for said in [
        "sorry bad connection um how much is a deep tissue massage",
        "hello sorry the signal is terrible what do you charge for deep tissue",
    ] {
        assert_eq!(answer_ids(&index, said, None), [1], "{said}");
    }
}

#[test]
fn a_guys_haircut_is_a_mens_haircut_but_you_guys_is_only_you() {
    let index = KnowledgeIndex::build(vec![
        entry(1, "How much is a men's haircut?", "$30."),
        entry(2, "How much is a women's haircut?", "From $55."),
        entry(3, "How much is a kid's haircut?", "$20 for under 12."),
    ]);
    assert_eq!(
        answer_ids(&index, "how much for a guy's haircut", None),
        [1]
    );
    assert_eq!(
        answer_ids(&index, "yeah what do you charge for guys haircuts", None),
        [1]
    );
    // "You guys" says nothing about whose haircut: no entry is sure.
    assert_eq!(
        answer_ids(&index, "how much do you guys charge for a haircut", None),
        Vec::<i64>::new()
    );
}

#[test]
fn a_question_followed_by_news_of_the_callers_family_is_answered() {
    let index = KnowledgeIndex::build(vec![
        entry(1, "Do you make house calls?", "Yes, within 10 miles, $60."),
        entry(
            2,
            "Is there wheelchair access?",
            "Yes, a ramp at the side door.",
        ),
        entry(3, "How much is a checkup?", "$80."),
    ]);
    assert_eq!(
        answer_ids(
            &index,
            "do you guys do house calls my dad can't really drive anymore since his surgery",
            None
        ),
        [1]
    );
    assert_eq!(
        answer_ids(
            &index,
            "hi is there wheelchair access my wife uses a chair",
            None
        ),
        [2]
    );
}

#[test]
fn being_called_back_is_one_topic_however_it_is_said() {
    let index = KnowledgeIndex::build(vec![
        entry(
            1,
            "When will someone call me back?",
            "We return every message within two business hours.",
        ),
        entry(2, "Do you offer financing?", "Yes, 12 months at 0%."),
        entry(3, "Are you open on Saturdays?", "Yes, 8 to noon."),
    ]);
    for said in [
        "how long until somebody gets back to me",
        "how soon will i hear back",
        "um if i leave a message how quick do you guys return calls",
    ] {
        assert_eq!(answer_ids(&index, said, None), [1], "{said}");
    }
    assert_eq!(answer_ids(&index, "do you guys do financing", None), [2]);
}

#[test]
fn anywhere_and_the_callers_partner_are_not_what_is_asked_about() {
    let index = KnowledgeIndex::build(vec![
        entry(1, "Where do I park?", "Free lot behind the building."),
        entry(2, "Do you have vegan options?", "Yes, marked with a V."),
        entry(3, "Can I bring my dog?", "Dogs are welcome on the patio."),
    ]);
    assert_eq!(answer_ids(&index, "is there anywhere to park", None), [1]);
    assert_eq!(
        answer_ids(
            &index,
            "my boyfriend is vegan do you have vegan options",
            None
        ),
        [2]
    );
    assert_eq!(
        answer_ids(
            &index,
            "is there anywhere to park and can i bring my dog",
            None
        ),
        [1, 3]
    );
}
