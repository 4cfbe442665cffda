//! The components of an iCalendar document (one or more `VCALENDAR`s: a CalDAV REPORT gives one
//! per event, concatenated here; an ICS feed gives one), parsed by the `icalendar` crate. Its
//! parser rejects a whole calendar for one malformed line; then each component of that calendar is
//! parsed on its own, so one broken event is skipped and reported, not fatal.

use icalendar::parser::{read_components, Component, ParseString};

use super::{ReadError, SkippedEvent};

/// The components inside the document's calendars, and those that could not be parsed.
pub(super) struct Document<'a> {
    pub(super) components: Vec<Component<'a>>,
    pub(super) broken: Vec<SkippedEvent>,
}

/// Reads an unfolded document (see [`icalendar::parser::unfold`]).
pub(super) fn read(unfolded: &str) -> Result<Document<'_>, ReadError> {
    let calendars: Vec<&str> = blocks(unfolded, 0)
        .into_iter()
        .filter(|(name, _)| name.eq_ignore_ascii_case("VCALENDAR"))
        .map(|(_, text)| text)
        .collect();
    if calendars.is_empty() {
        let start: String = unfolded.trim_start().chars().take(40).collect();
        return Err(ReadError::NotICalendar(format!(
            "no BEGIN:VCALENDAR (it starts with {start:?})"
        )));
    }
    let mut document = Document {
        components: Vec::new(),
        broken: Vec::new(),
    };
    for calendar in calendars {
        match read_components(calendar) {
            Ok(roots) => document
                .components
                .extend(roots.into_iter().flat_map(|root| root.components)),
            Err(_) => {
                for (_, text) in blocks(calendar, 1) {
                    match read_components(text) {
                        Ok(components) => document.components.extend(components),
                        Err(error) => document.broken.push(broken(text, &error)),
                    }
                }
            }
        }
    }
    document.components.iter_mut().for_each(upper_case_names);
    Ok(document)
}

/// Component, property and parameter names are case-insensitive (RFC 5545 §2): written in upper
/// case here, so the readers can match them exactly (`dtstart;tzid=…` is `DTSTART;TZID=…`).
fn upper_case_names(component: &mut Component<'_>) {
    let upper = |name: &str| ParseString::from(name.to_ascii_uppercase());
    component.name = upper(component.name.as_str());
    for property in &mut component.properties {
        property.name = upper(property.name.as_str());
        for param in &mut property.params {
            param.key = upper(param.key.as_str());
        }
    }
    component.components.iter_mut().for_each(upper_case_names);
}

/// `(name, text)` of the components beginning at `level` (0: top level, 1: inside a top-level
/// one). A component ends at the END line of its own name, so a broken line inside it (an unclosed
/// BEGIN) stays inside it; one never closed runs to the end of the text.
fn blocks(text: &str, level: usize) -> Vec<(&str, &str)> {
    let mut found = Vec::new();
    let mut depth = 0usize;
    let mut open: Option<(usize, &str)> = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\r', '\n']);
        if let Some(name) = after_ignore_case(content, "BEGIN:") {
            if depth == level && open.is_none() {
                open = Some((offset, name));
            }
            depth += 1;
        } else if let Some(name) = after_ignore_case(content, "END:") {
            match open {
                Some((start, begun)) if name.eq_ignore_ascii_case(begun) => {
                    found.push((begun, &text[start..offset + line.len()]));
                    open = None;
                    depth = level;
                }
                _ => depth = depth.saturating_sub(1),
            }
        }
        offset += line.len();
    }
    if let Some((start, begun)) = open {
        found.push((begun, &text[start..]));
    }
    found
}

/// The rest of `line` after `prefix` (ASCII, any case), trimmed.
fn after_ignore_case<'l>(line: &'l str, prefix: &str) -> Option<&'l str> {
    let head = line.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| line[prefix.len()..].trim())
}

/// A component the parser rejected: its UID when a line gives it, and the parser's reason.
fn broken(text: &str, error: &str) -> SkippedEvent {
    let uid = text
        .lines()
        .find_map(|line| line.strip_prefix("UID:"))
        .map(|uid| uid.trim().to_owned());
    let name = text
        .lines()
        .next()
        .and_then(|line| line.get(6..))
        .unwrap_or("")
        .trim();
    // nom's report: "error: 0: at line 5, in Many0:", then the offending line.
    let mut report = error.lines().map(str::trim).filter(|line| !line.is_empty());
    let place = report.next().unwrap_or("").trim_start_matches("error: ");
    let near: String = report.next().unwrap_or("").chars().take(120).collect();
    SkippedEvent {
        uid,
        reason: format!("{name} could not be parsed ({place}) near {near:?}"),
    }
}
