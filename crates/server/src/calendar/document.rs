//! The components of an iCalendar document (one or more `VCALENDAR`s, as CalDAV reports and ICS
//! feeds give them), parsed by the `icalendar` crate. Its parser rejects a whole document for one
//! malformed line; then each component is parsed on its own, so one broken event is skipped and
//! reported, not fatal.

use icalendar::parser::{read_components, Component};

use super::{ReadError, SkippedEvent};

/// The components inside the document's calendars, and those that could not be parsed.
pub(super) struct Document<'a> {
    pub(super) components: Vec<Component<'a>>,
    pub(super) broken: Vec<SkippedEvent>,
}

/// Reads an unfolded document (see [`icalendar::parser::unfold`]).
pub(super) fn read(unfolded: &str) -> Result<Document<'_>, ReadError> {
    match read_components(unfolded) {
        Ok(roots) => {
            let calendars: Vec<Component<'_>> = roots
                .into_iter()
                .filter(|root| root.name.as_str().eq_ignore_ascii_case("VCALENDAR"))
                .collect();
            if calendars.is_empty() {
                return Err(not_a_calendar(unfolded));
            }
            Ok(Document {
                components: calendars.into_iter().flat_map(|c| c.components).collect(),
                broken: Vec::new(),
            })
        }
        Err(_) => component_by_component(unfolded),
    }
}

fn not_a_calendar(text: &str) -> ReadError {
    let start: String = text.trim_start().chars().take(40).collect();
    ReadError::NotICalendar(format!("no BEGIN:VCALENDAR (it starts with {start:?})"))
}

/// Each component directly inside a `VCALENDAR`, parsed alone.
fn component_by_component(unfolded: &str) -> Result<Document<'_>, ReadError> {
    let mut document = Document {
        components: Vec::new(),
        broken: Vec::new(),
    };
    let mut calendars = 0;
    let mut depth = 0usize;
    // The component being cut out: where it starts and its name. It ends at its own END line
    // even when a line inside it was broken (an unclosed BEGIN).
    let mut block: Option<(usize, &str)> = None;
    let mut offset = 0;
    for line in unfolded.split_inclusive('\n') {
        let content = line.trim_end_matches(['\r', '\n']);
        if let Some(name) = after_ignore_case(content, "BEGIN:") {
            if depth == 0 && name.eq_ignore_ascii_case("VCALENDAR") {
                calendars += 1;
            }
            depth += 1;
            if depth == 2 {
                block = Some((offset, name));
            }
        } else if let Some(name) = after_ignore_case(content, "END:") {
            match block {
                Some((start, begun)) if name.eq_ignore_ascii_case(begun) => {
                    let text = &unfolded[start..offset + line.len()];
                    match read_components(text) {
                        Ok(components) => document.components.extend(components),
                        Err(error) => document.broken.push(broken(text, &error)),
                    }
                    block = None;
                    depth = 1;
                }
                _ => depth = depth.saturating_sub(1),
            }
        }
        offset += line.len();
    }
    match calendars {
        0 => Err(not_a_calendar(unfolded)),
        _ => Ok(document),
    }
}

/// The rest of `line` after `prefix` (ASCII, any case), trimmed.
fn after_ignore_case<'l>(line: &'l str, prefix: &str) -> Option<&'l str> {
    let head = line.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| line[prefix.len()..].trim())
}

/// A component the parser rejected: its UID when a line gives it, and the parser's reason.
fn broken(block: &str, error: &str) -> SkippedEvent {
    let uid = block
        .lines()
        .find_map(|line| line.strip_prefix("UID:"))
        .map(|uid| uid.trim().to_owned());
    let name = block
        .lines()
        .next()
        .and_then(|line| line.get(6..))
        .unwrap_or("")
        .trim();
    SkippedEvent {
        uid,
        reason: format!("{name} could not be parsed: {}", first_line(error)),
    }
}

fn first_line(text: &str) -> String {
    let line = text
        .lines()
        .map(str::trim)
        .find(|line| !line.is_empty())
        .unwrap_or("");
    line.chars().take(200).collect()
}
