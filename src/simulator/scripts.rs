//! Caller scripts: fixed lines from a file ([`ScriptedLines`]) or a person at a terminal
//! ([`Interactive`]), in the same small syntax.

use std::collections::VecDeque;
use std::io::{BufRead, Write};

use super::{CallerInput, CallerScript, DialResult, Heard, write_heard};

/// One line of a caller script: what to say, or a directive in brackets.
#[derive(Debug, Clone, PartialEq, Eq)]
enum ScriptLine {
    Input(CallerInput),
    NextDial(DialResult),
}

/// A line the script syntax does not know, such as `[dial maybe]`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown script directive {line:?}: use [silence], [hangup], [press KEYS] (0-9, * and #) \
     or [dial completed|busy|no-answer|failed]"
)]
pub struct ScriptError {
    pub line: String,
}

/// `[silence]`, `[hangup]`, `[press KEYS]` and `[dial RESULT]` are directives, an empty line is
/// silence, anything else is speech. Other bracketed lines are rejected so a typo is not spoken.
fn parse_script_line(line: &str) -> Result<ScriptLine, ScriptError> {
    let trimmed = line.trim();
    let unknown = || ScriptError {
        line: trimmed.to_owned(),
    };
    let Some(directive) = trimmed
        .strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(']'))
    else {
        if trimmed.is_empty() {
            return Ok(ScriptLine::Input(CallerInput::Silence));
        }
        return Ok(ScriptLine::Input(CallerInput::Speech(trimmed.to_owned())));
    };
    match directive.trim() {
        "silence" => Ok(ScriptLine::Input(CallerInput::Silence)),
        "hangup" => Ok(ScriptLine::Input(CallerInput::HangUp)),
        other => {
            if let Some(keys) = other.strip_prefix("press ") {
                return keypad_keys(keys)
                    .map(|keys| ScriptLine::Input(CallerInput::Press(keys)))
                    .ok_or_else(unknown);
            }
            other
                .strip_prefix("dial ")
                .and_then(DialResult::parse)
                .map(ScriptLine::NextDial)
                .ok_or_else(unknown)
        }
    }
}

/// The keys of `[press 503 555 0142#]`: digits, `*` and `#`, spaces ignored.
fn keypad_keys(keys: &str) -> Option<String> {
    let keys: String = keys.chars().filter(|c| !c.is_whitespace()).collect();
    let on_a_keypad = keys
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '*' | '#'));
    (!keys.is_empty() && on_a_keypad).then_some(keys)
}

/// A caller who says fixed lines in order and hangs up when they run out.
///
/// `[dial busy]` (or `completed`, `no-answer`, `failed`) sets how the next transfer ends; it
/// may come before or after the line that asks for the transfer. Transfers otherwise complete.
#[derive(Debug, Clone, Default)]
pub struct ScriptedLines {
    lines: VecDeque<ScriptLine>,
    next_dial: Option<DialResult>,
}

impl ScriptedLines {
    pub fn new<I, S>(lines: I) -> Result<Self, ScriptError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let lines = lines
            .into_iter()
            .map(|line| parse_script_line(line.as_ref()))
            .collect::<Result<_, _>>()?;
        Ok(Self {
            lines,
            next_dial: None,
        })
    }

    /// A script file: one line per turn, a blank line being a silent turn. Lines starting with
    /// `#` are comments, and blank lines at the end of the file are not turns (the caller hangs
    /// up when the lines run out).
    pub fn parse(text: &str) -> Result<Self, ScriptError> {
        let mut lines: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|line| !line.starts_with('#'))
            .collect();
        while lines.last().is_some_and(|line| line.is_empty()) {
            lines.pop();
        }
        Self::new(lines)
    }

    fn take_dial_directives(&mut self) {
        while let Some(ScriptLine::NextDial(result)) = self.lines.front() {
            self.next_dial = Some(*result);
            self.lines.pop_front();
        }
    }
}

impl CallerScript for ScriptedLines {
    fn next_line(&mut self, _heard: &[Heard]) -> Option<CallerInput> {
        self.take_dial_directives();
        match self.lines.pop_front()? {
            ScriptLine::Input(input) => Some(input),
            ScriptLine::NextDial(_) => None,
        }
    }

    fn dial_result(&mut self, _number: &str) -> DialResult {
        self.take_dial_directives();
        self.next_dial.take().unwrap_or(DialResult::Completed)
    }
}

/// A person at a terminal: prints what they hear, reads what they say.
///
/// Reads block the thread while the person types, which is fine for the CLI where this call is
/// the only work. Same syntax as [`ScriptedLines`]; an empty line is silence, end of input
/// hangs up.
pub struct Interactive<R, W> {
    input: R,
    output: W,
}

impl Interactive<std::io::StdinLock<'static>, std::io::Stdout> {
    pub fn stdio() -> Self {
        Self::new(std::io::stdin().lock(), std::io::stdout())
    }
}

impl<R: BufRead, W: Write> Interactive<R, W> {
    pub fn new(input: R, output: W) -> Self {
        Self { input, output }
    }

    fn prompt(&mut self, prompt: &str) -> Option<String> {
        // A broken terminal ends the call: there is nobody left to talk to.
        write!(self.output, "{prompt}").ok()?;
        self.output.flush().ok()?;
        let mut line = String::new();
        match self.input.read_line(&mut line) {
            Ok(0) | Err(_) => None,
            Ok(_) => Some(line),
        }
    }
}

impl<R: BufRead, W: Write> CallerScript for Interactive<R, W> {
    fn next_line(&mut self, _heard: &[Heard]) -> Option<CallerInput> {
        loop {
            let line = self.prompt("you> ")?;
            match parse_script_line(&line) {
                Ok(ScriptLine::Input(input)) => return Some(input),
                Ok(ScriptLine::NextDial(_)) => {
                    let _ = writeln!(
                        self.output,
                        "(dial results are asked when a transfer happens)"
                    );
                }
                Err(error) => {
                    let _ = writeln!(self.output, "{error}");
                }
            }
        }
    }

    fn dial_result(&mut self, number: &str) -> DialResult {
        loop {
            let question =
                format!("transfer to {number}: completed, busy, no-answer or failed? [completed] ");
            let Some(line) = self.prompt(&question) else {
                return DialResult::Completed;
            };
            if line.trim().is_empty() {
                return DialResult::Completed;
            }
            if let Some(result) = DialResult::parse(&line) {
                return result;
            }
        }
    }

    fn hear(&mut self, heard: &Heard) {
        let mut line = String::from("receptionist: ");
        let _ = write_heard(&mut line, heard);
        let _ = writeln!(self.output, "{line}");
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn scripts_understand_silence_hangup_and_dial_directives() {
        let mut script = ScriptedLines::parse(
            "# a caller\nHello\n[dial no-answer]\n[silence]\n  [ hangup ]  \nunreached\n",
        )
        .unwrap();
        assert_eq!(
            script.next_line(&[]),
            Some(CallerInput::Speech("Hello".into()))
        );
        assert_eq!(script.dial_result("+1"), DialResult::NoAnswer);
        assert_eq!(script.dial_result("+1"), DialResult::Completed);
        assert_eq!(script.next_line(&[]), Some(CallerInput::Silence));
        assert_eq!(script.next_line(&[]), Some(CallerInput::HangUp));
        assert_eq!(
            ScriptedLines::parse("[dial maybe]").unwrap_err().line,
            "[dial maybe]"
        );
        assert!(ScriptedLines::new(["[shout]"]).is_err());
        let mut trailing = ScriptedLines::new(["[dial failed]"]).unwrap();
        assert_eq!(trailing.next_line(&[]), None);
    }

    #[test]
    fn a_blank_line_in_a_script_file_is_a_silent_turn() {
        let mut script =
            ScriptedLines::parse("Hello\n\n   \n# thinking\nMy name is Ada\n\n\n").unwrap();
        assert_eq!(
            script.next_line(&[]),
            Some(CallerInput::Speech("Hello".into()))
        );
        assert_eq!(script.next_line(&[]), Some(CallerInput::Silence));
        assert_eq!(script.next_line(&[]), Some(CallerInput::Silence));
        assert_eq!(
            script.next_line(&[]),
            Some(CallerInput::Speech("My name is Ada".into()))
        );
        // Blank lines the file ends with are not turns: the caller hangs up.
        assert_eq!(script.next_line(&[]), None);
    }

    #[test]
    fn press_lines_are_keys_on_the_keypad() {
        let mut script =
            ScriptedLines::new(["[press 0]", "[press 503 555 0142#]", "[ press * ]"]).unwrap();
        assert_eq!(script.next_line(&[]), Some(CallerInput::Press("0".into())));
        assert_eq!(
            script.next_line(&[]),
            Some(CallerInput::Press("5035550142#".into()))
        );
        assert_eq!(script.next_line(&[]), Some(CallerInput::Press("*".into())));
        for typo in ["[press]", "[press five]", "[press 0a]", "[press ]"] {
            assert!(ScriptedLines::new([typo]).is_err(), "{typo}");
        }
    }

    #[test]
    fn the_interactive_script_prints_what_it_hears_and_reads_what_to_say() {
        let input = b"hello there\n\nbusy\n[hangup]\n".as_slice();
        let mut output = Vec::new();
        {
            let mut person = Interactive::new(input, &mut output);
            person.hear(&Heard::Say("How can I help?".into()));
            assert_eq!(
                person.next_line(&[]),
                Some(CallerInput::Speech("hello there".into()))
            );
            assert_eq!(person.next_line(&[]), Some(CallerInput::Silence));
            assert_eq!(person.dial_result("+15550001111"), DialResult::Busy);
            assert_eq!(person.next_line(&[]), Some(CallerInput::HangUp));
            assert_eq!(person.next_line(&[]), None);
        }
        let shown = String::from_utf8(output).unwrap();
        assert!(
            shown.starts_with("receptionist: How can I help?\nyou> "),
            "{shown}"
        );
        assert!(shown.contains("transfer to +15550001111"), "{shown}");
    }
}
