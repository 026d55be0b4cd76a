#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Taking a message from what callers actually say: each line goes through
//! the rules brain, with what the receptionist asked for and the details
//! taken down so far, and then through the state machine.

use super::fixtures::*;
use crate::ai::rules::{KnowledgeIndex, interpret_in_call};
use crate::conversation::state::{Asking, CallState, Decision, Event, Outcome, StateName};

/// A caller on the line, heard by the rules brain.
struct Caller<'a> {
    call: Call<'a>,
    knowledge: KnowledgeIndex,
}

impl<'a> Caller<'a> {
    fn new(ctx: crate::conversation::state::TurnContext<'a>) -> Self {
        Caller {
            call: Call::greeted(ctx),
            knowledge: KnowledgeIndex::build(Vec::new()),
        }
    }

    fn says(&mut self, text: &str) -> Decision {
        let heard = interpret_in_call(
            text,
            self.call.state.expecting(),
            self.call.ctx.profile,
            &self.knowledge,
            1,
            &self.call.memory.lead,
            self.call.memory.last_topic,
        );
        self.call.send(&Event::Speech(heard))
    }

    /// Says each line, returning what the receptionist said to the last.
    fn say_all(&mut self, lines: &[&str]) -> Decision {
        let mut last = None;
        for line in lines {
            last = Some(self.says(line));
        }
        last.expect("at least one line")
    }

    fn lead(&self) -> &crate::conversation::interpretation::Details {
        &self.call.memory.lead
    }
}

fn without_caller_id(profile: &crate::conversation::profile::TenantProfile) -> Caller<'_> {
    let mut ctx = open(profile);
    ctx.caller_number = None;
    Caller::new(ctx)
}

#[test]
fn a_spelled_name_is_thanked_and_read_back_as_spelled() {
    let profile = profile();
    let mut caller = Caller::new(open(&profile));
    caller.says("hi yeah I need to leave a message");
    let decision = caller.says("its nguyen n g u y e n");
    assert!(
        spoken(&decision).starts_with("Thanks, Nguyen."),
        "{}",
        spoken(&decision)
    );
    let decision = caller.say_all(&["yes", "no", "my gutter came loose in the storm"]);
    assert!(
        spoken(&decision).contains("your name is Nguyen"),
        "{}",
        spoken(&decision)
    );
}

#[test]
fn a_caller_who_asks_why_the_name_is_needed_is_told_and_asked_again() {
    let profile = profile();
    let mut caller = Caller::new(open(&profile));
    caller.says("can I leave a message");
    let decision = caller.says("why do you need my name");
    assert_eq!(
        spoken(&decision),
        "Someone will get back to you as soon as they can, and it helps them to know who they're \
         calling. What name should I give them?"
    );
    caller.says("oh ok it's brian walsh");
    assert_eq!(caller.lead().name.as_deref(), Some("Brian Walsh"));
}

#[test]
fn a_caller_who_will_not_give_a_name_is_not_asked_again() {
    let profile = profile();
    let mut caller = Caller::new(open(&profile));
    caller.says("can I leave a message");
    let decision = caller.says("i'd rather not say");
    assert_eq!(
        spoken(&decision),
        "That's fine, I'll pass your message on without a name. Is five five five, seven six \
         five, four three two one the best number to reach you?"
    );
    let decision = caller.say_all(&["yes", "no", "a leak in the roof"]);
    assert_eq!(decision.state, CallState::Confirmation { correcting: None });
    assert!(!spoken(&decision).contains("your name"));
}

#[test]
fn an_angry_answer_to_the_name_question_is_not_taken_as_a_name() {
    let profile = profile();
    let mut caller = Caller::new(open(&profile));
    caller.says("I want to leave a message");
    let decision = caller.says("oh my god this is ridiculous");
    assert_eq!(caller.lead().name, None);
    assert_eq!(
        decision.state,
        CallState::LeadCapture {
            asking: Asking::PhoneConfirmation
        }
    );
}

#[test]
fn a_name_not_understood_twice_is_kept_as_said_and_the_call_moves_on() {
    let profile = profile();
    let mut caller = Caller::new(open(&profile));
    caller.says("I'd like to leave a message");
    // "Eva" as the recogniser heard it.
    let decision = caller.says("uh ever");
    assert_eq!(
        spoken(&decision),
        "Sorry, I didn't catch your name. Could you say it again, or spell it for me?"
    );
    let decision = caller.says("ever");
    assert_eq!(caller.lead().name.as_deref(), Some("Ever"));
    assert!(spoken(&decision).ends_with("the best number to reach you?"));
}

#[test]
fn a_request_to_repeat_is_never_kept_as_the_name() {
    let profile = profile();
    let mut caller = Caller::new(open(&profile));
    let decision = caller.say_all(&["I'd like to leave a message", "um", "sorry what"]);
    assert_eq!(caller.lead().name, None);
    // "Sorry, what?" is asking to hear the question again.
    assert!(
        spoken(&decision).contains("your name"),
        "{}",
        spoken(&decision)
    );
}

#[test]
fn a_spelled_name_on_the_second_try_is_taken() {
    let profile = profile();
    let mut caller = Caller::new(open(&profile));
    caller.says("I'd like to leave a message");
    caller.says("um");
    caller.says("s i o b h a n");
    assert_eq!(caller.lead().name.as_deref(), Some("Siobhan"));
}

#[test]
fn a_yes_at_the_phone_question_does_not_replace_the_name() {
    let profile = profile();
    let mut caller = Caller::new(open(&profile));
    caller.say_all(&[
        "leave a message please",
        "this is Jane Doe",
        "yes that's fine",
    ]);
    assert_eq!(caller.lead().name.as_deref(), Some("Jane Doe"));
    assert!(caller.call.memory.phone_confirmed);
}

#[test]
fn a_seven_digit_number_is_asked_for_again_with_the_area_code() {
    let profile = profile();
    let mut caller = without_caller_id(&profile);
    caller.say_all(&["leave a message", "jane doe"]);
    let decision = caller.says("five five five oh one four two");
    assert_eq!(
        spoken(&decision),
        "I only got seven digits. Could you give me the full number, with the area code?"
    );
    assert_eq!(caller.lead().phone, None);
    let decision = caller.says("oh sorry it's 503 555 0142");
    assert_eq!(
        spoken(&decision),
        "Got it. I have five oh three, five five five, oh one four two. Is that right?"
    );
}

#[test]
fn an_eleven_digit_number_without_a_leading_one_is_not_read_back() {
    let profile = profile();
    let mut caller = without_caller_id(&profile);
    caller.say_all(&["leave a message", "jane doe"]);
    let decision = caller.says("503 555 01422");
    assert!(
        spoken(&decision).starts_with("I got eleven digits"),
        "{}",
        spoken(&decision)
    );
    assert_eq!(caller.lead().phone, None);
}

#[test]
fn an_area_code_said_first_is_joined_to_the_rest() {
    let profile = profile();
    let mut caller = without_caller_id(&profile);
    caller.say_all(&["leave a message", "jane doe", "area code 503 then 555 0142"]);
    assert_eq!(caller.lead().phone.as_deref(), Some("+15035550142"));
}

#[test]
fn the_last_four_digits_can_be_corrected_when_the_number_is_read_back() {
    let profile = profile();
    let mut caller = without_caller_id(&profile);
    caller.say_all(&["leave a message", "jane doe", "503 555 0142"]);
    let decision = caller.says("no sorry the last four are 0199");
    assert_eq!(
        spoken(&decision),
        "Got it. I have five oh three, five five five, oh one nine nine. Is that right?"
    );
    caller.says("yes");
    assert!(caller.call.memory.phone_confirmed);
    assert_eq!(caller.lead().phone.as_deref(), Some("+15035550199"));
}

#[test]
fn the_callers_own_number_can_be_corrected_in_part() {
    let profile = profile();
    let mut caller = Caller::new(open(&profile));
    caller.say_all(&["leave a message", "jane doe"]);
    let decision = caller.says("no the last four digits are 1234");
    assert!(
        spoken(&decision).contains("I have five five five, seven six five, one two three four")
    );
}

#[test]
fn this_number_means_the_caller_id_when_there_is_one() {
    let profile = profile();
    let mut caller = Caller::new(open(&profile));
    caller.say_all(&["leave a message", "jane doe", "no"]);
    let decision = caller.says("actually just use the number I'm calling from");
    assert!(spoken(&decision).starts_with("Great, I'll use the number you're calling from."));
    assert_eq!(caller.lead().phone.as_deref(), Some(CALLER));
    assert_eq!(
        decision.state,
        CallState::LeadCapture {
            asking: Asking::Email
        }
    );
}

#[test]
fn this_number_without_a_caller_id_is_asked_for_again() {
    let profile = profile();
    let mut caller = without_caller_id(&profile);
    caller.say_all(&["leave a message", "jane doe"]);
    let decision = caller.says("the number I'm calling from");
    assert_eq!(
        spoken(&decision),
        "I'm sorry, I can't see the number you're calling from. What's the best number to reach you?"
    );
}

#[test]
fn an_email_with_numbers_is_read_back_spelled_with_the_provider_said() {
    let profile = profile();
    let mut caller = Caller::new(open(&profile));
    caller.say_all(&["leave a message", "sam lee", "yes", "yes"]);
    caller.says("sam lee twenty one at yahoo dot com");
    assert_eq!(caller.lead().email.as_deref(), Some("samlee21@yahoo.com"));
    let decision = caller.says("I need a quote for new gutters");
    assert!(
        spoken(&decision).contains("your email is S A M L E E 2 1, at yahoo dot com"),
        "{}",
        spoken(&decision)
    );
}

#[test]
fn declining_the_email_goes_straight_to_the_reason() {
    let profile = profile();
    for refusal in [
        "i'd rather not",
        "don't have one",
        "nah skip that",
        "no email thanks",
    ] {
        let mut caller = Caller::new(open(&profile));
        let decision = caller.say_all(&["leave a message", "jane doe", "yes", refusal]);
        assert_eq!(
            spoken(&decision),
            "No problem. And what's the reason for your call?",
            "{refusal}"
        );
    }
}

#[test]
fn an_email_not_caught_twice_is_left_out() {
    let profile = profile();
    let mut caller = Caller::new(open(&profile));
    caller.say_all(&["leave a message", "jane doe", "yes", "yes"]);
    caller.says("it's jane at the uh");
    let decision = caller.says("jane at the um");
    assert_eq!(
        spoken(&decision),
        "No problem, I'll leave the email out. And what's the reason for your call?"
    );
    assert_eq!(caller.lead().email, None);
}

#[test]
fn the_reason_is_stored_clean_and_read_back_in_the_second_person() {
    let profile = profile();
    let mut caller = Caller::new(open(&profile));
    caller.say_all(&["leave a message", "jane doe", "yes", "no"]);
    let decision =
        caller.says("yeah so um i wanted to know if you could move my appointment to next week");
    assert_eq!(
        caller.lead().reason.as_deref(),
        Some("move my appointment to next week")
    );
    assert!(
        spoken(&decision).contains("and you'd like to move your appointment to next week."),
        "{}",
        spoken(&decision)
    );
}

#[test]
fn a_reason_about_a_bill_is_read_back_as_yours() {
    let profile = profile();
    let mut caller = Caller::new(open(&profile));
    let decision = caller.say_all(&[
        "leave a message",
        "jane doe",
        "yes",
        "no",
        "I'm calling about my bill",
    ]);
    assert!(spoken(&decision).contains("you're calling about your bill"));
}

#[test]
fn the_person_a_message_is_for_is_kept_in_the_read_back() {
    let profile = profile();
    let mut caller = Caller::new(open(&profile));
    let decision = caller.say_all(&[
        "hi I need to leave a message for dr patel about my results",
        "jane doe",
        "yes",
        "no",
    ]);
    assert!(
        spoken(&decision).contains("you're calling for Dr Patel about your results"),
        "{}",
        spoken(&decision)
    );
}

/// A call at the read-back: Jane Doe, the caller's own number, no email, a
/// leak in the roof.
fn at_the_read_back(profile: &crate::conversation::profile::TenantProfile) -> Caller<'_> {
    let mut caller = Caller::new(open(profile));
    caller.say_all(&[
        "leave a message",
        "jane doe",
        "yes",
        "no",
        "a leak in the roof",
    ]);
    assert_eq!(
        caller.call.state,
        CallState::Confirmation { correcting: None }
    );
    caller
}

#[test]
fn details_added_to_a_yes_at_the_read_back_are_kept_and_the_message_saved() {
    let profile = profile();
    let mut caller = at_the_read_back(&profile);
    let decision = caller.says("yes and also tell her it's urgent");
    assert!(decision.save_lead);
    assert_eq!(decision.outcome, Some(Outcome::LeadCaptured));
    assert!(spoken(&decision).starts_with("Got it, I've added that to your message."));
    assert_eq!(
        decision.memory.lead.reason.as_deref(),
        Some("a leak in the roof; tell her it's urgent")
    );
}

#[test]
fn a_time_added_at_the_read_back_is_kept() {
    let profile = profile();
    let mut caller = at_the_read_back(&profile);
    let decision = caller.says("that's right, oh and I'm free after 3");
    assert!(decision.save_lead);
    assert_eq!(
        decision.memory.lead.reason.as_deref(),
        Some("a leak in the roof; I'm free after 3")
    );
    assert_eq!(decision.memory.lead.phone.as_deref(), Some(CALLER));
}

#[test]
fn a_wrong_number_is_corrected_in_one_breath_at_the_read_back() {
    let profile = profile();
    let mut caller = at_the_read_back(&profile);
    let decision = caller.says("no the number is wrong its 503 555 0199");
    assert!(
        spoken(&decision)
            .contains("your number is five oh three, five five five, oh one nine nine"),
        "{}",
        spoken(&decision)
    );
    let decision = caller.says("yes");
    assert!(decision.save_lead);
    assert_eq!(decision.memory.lead.phone.as_deref(), Some("+15035550199"));
}

#[test]
fn the_last_four_digits_are_corrected_at_the_read_back() {
    let profile = profile();
    let mut caller = at_the_read_back(&profile);
    caller.says("no sorry the last four are 0199");
    assert_eq!(caller.lead().phone.as_deref(), Some("+15557650199"));
}

#[test]
fn a_spelled_surname_at_the_read_back_replaces_only_the_surname() {
    let profile = profile();
    let mut caller = at_the_read_back(&profile);
    let decision = caller.says("the last name is spelled d o u g h");
    assert!(
        spoken(&decision).contains("your name is Jane Dough"),
        "{}",
        spoken(&decision)
    );
}

#[test]
fn a_spelling_note_at_the_read_back_fixes_the_name() {
    let profile = profile();
    let mut caller = Caller::new(open(&profile));
    caller.say_all(&["leave a message", "anne smith", "yes", "no", "my bill"]);
    let decision = caller.says("no, ann with no e");
    assert!(
        spoken(&decision).contains("your name is Ann Smith"),
        "{}",
        spoken(&decision)
    );
    assert_eq!(decision.state.name(), StateName::Confirmation);
}

#[test]
fn a_short_number_at_the_read_back_asks_for_the_whole_number() {
    let profile = profile();
    let mut caller = without_caller_id(&profile);
    caller.say_all(&[
        "leave a message",
        "jane doe",
        "503 555 0142",
        "yes",
        "no",
        "a leak",
    ]);
    let decision = caller.says("no the number is 555 01 99 1");
    assert!(spoken(&decision).contains("Could you give me the full number"));
    assert_eq!(caller.lead().phone.as_deref(), Some("+15035550142"));
}

#[test]
fn everything_said_in_one_breath_is_taken_down() {
    let profile = profile();
    // Closed, so the request becomes a message rather than a transfer.
    let mut ctx = closed(&profile);
    ctx.caller_number = None;
    let mut caller = Caller::new(ctx);
    let decision = caller.says(
        "hi this is maria gonzalez my number is five oh three five five five oh one four two \
         and I need to move my inspection to friday",
    );
    assert_eq!(caller.lead().name.as_deref(), Some("Maria Gonzalez"));
    assert_eq!(caller.lead().phone.as_deref(), Some("+15035550142"));
    assert_eq!(
        caller.lead().reason.as_deref(),
        Some("move my inspection to friday")
    );
    assert!(spoken(&decision).ends_with("Is that right?"));
}

#[test]
fn a_surname_spelled_after_the_first_name_is_added_to_it() {
    let profile = profile();
    let mut caller = Caller::new(open(&profile));
    caller.say_all(&["I'd like to leave a message", "it's marcus"]);
    let decision = caller.says("w i l l i a m s");
    assert_eq!(caller.lead().name.as_deref(), Some("Marcus Williams"));
    assert!(spoken(&decision).ends_with("Is that right?"));
}

#[test]
fn a_few_digits_are_counted_back_to_the_caller() {
    let profile = profile();
    let mut caller = without_caller_id(&profile);
    caller.say_all(&["can somebody call me back", "kim"]);
    let decision = caller.says("503 555");
    assert_eq!(
        spoken(&decision),
        "I only got six digits. Could you give me the full number, with the area code?"
    );
}

#[test]
fn a_message_left_for_someone_still_asks_what_to_pass_on() {
    let profile = profile();
    let mut caller = Caller::new(open(&profile));
    let decision = caller.say_all(&[
        "yeah hi um I wanted to leave a message for the owner",
        "marcus williams",
        "yes",
        "no",
    ]);
    assert_eq!(
        spoken(&decision),
        "No problem. And what would you like me to pass on for the owner?"
    );
    let decision =
        caller.says("he quoted me for a new roof last month and I want to go ahead with it");
    assert_eq!(
        caller.lead().reason.as_deref(),
        Some(
            "for the owner, he quoted me for a new roof last month and I want to go ahead with it"
        )
    );
    assert!(spoken(&decision).contains(
        "you're calling for the owner, he quoted you for a new roof last month and you want to go \
         ahead with it"
    ));
}

#[test]
fn a_message_said_while_the_number_is_asked_for_is_kept() {
    let profile = profile();
    let mut caller = without_caller_id(&profile);
    caller.say_all(&["i need to leave a message", "i'd rather not say"]);
    let decision = caller.says("just tell them the gutter guy called back");
    assert_eq!(
        caller.lead().reason.as_deref(),
        Some("tell them the gutter guy called back")
    );
    assert_eq!(
        spoken(&decision),
        "Got it. What's the best number to reach you?"
    );
}

#[test]
fn a_caller_with_initials_or_a_title_is_thanked_by_a_name_that_sounds_right() {
    let profile = profile();
    let mut caller = Caller::new(open(&profile));
    caller.says("leave a message");
    assert!(spoken(&caller.says("j r smith")).starts_with("Thanks, J. R. Smith."));
    let mut caller = Caller::new(open(&profile));
    caller.says("leave a message");
    assert!(spoken(&caller.says("doctor amy chen")).starts_with("Thanks, Dr Chen."));
}

#[test]
fn details_added_at_the_read_back_without_a_yes_are_read_back_again() {
    let profile = profile();
    let mut caller = at_the_read_back(&profile);
    let decision = caller.says("oh and I need it fixed before friday");
    assert!(!decision.save_lead);
    assert!(spoken(&decision).starts_with("Got it, I've added that."));
    assert!(
        spoken(&decision).contains("a leak in the roof; you need it fixed before friday"),
        "{}",
        spoken(&decision)
    );
}

#[test]
fn a_caller_who_declined_their_name_can_still_give_it_later() {
    let profile = profile();
    let mut caller = Caller::new(open(&profile));
    caller.say_all(&["I want to leave a message", "ugh this is ridiculous"]);
    caller.says("fine it's tessa grant");
    assert_eq!(caller.lead().name.as_deref(), Some("Tessa Grant"));
    assert!(caller.call.memory.phone_confirmed);
}
