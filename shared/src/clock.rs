//! Timestamps in the wire format: ISO-8601 in UTC with milliseconds, as Hoppscotch sends them.

use chrono::{DateTime, SecondsFormat, Utc};

/// Returns the current time.
pub fn now() -> DateTime<Utc> {
    Utc::now()
}

/// Formats a time as `2026-01-31T12:00:00.000Z`, which sorts as text in time order.
pub fn format(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Parses a time written by [`format`] or any RFC 3339 time.
pub fn parse(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|time| time.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_then_parse_round_trips() {
        let time = parse("2026-03-04T05:06:07.089Z");

        assert_eq!(
            time.map(format).as_deref(),
            Some("2026-03-04T05:06:07.089Z")
        );
    }
}
