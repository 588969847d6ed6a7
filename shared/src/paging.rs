//! `skip`/`take` pagination of list endpoints.

use crate::edge::Query;
use crate::error::ApiError;

/// Items returned when `take` is not given.
pub const DEFAULT_TAKE: usize = 10;
/// Largest `take` accepted; a larger one is rejected rather than silently cut.
pub const MAX_TAKE: usize = 100;
/// Largest `skip` accepted, which bounds the items one request reads.
pub const MAX_SKIP: usize = 100_000;

/// A window into an ordered list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Page {
    pub skip: usize,
    pub take: usize,
}

impl Page {
    /// Reads `skip` and `take` from the query, reporting every invalid value at once.
    pub fn from_query(query: &Query<'_>) -> Result<Self, ApiError> {
        let skip = parse_count(query.get("skip"), "skip", 0, MAX_SKIP, 0);
        let take = parse_count(query.get("take"), "take", 1, MAX_TAKE, DEFAULT_TAKE);
        match (skip, take) {
            (Ok(skip), Ok(take)) => Ok(Self { skip, take }),
            (skip, take) => {
                let messages = [skip.err(), take.err()].into_iter().flatten().collect();
                Err(ApiError::Validation(messages))
            }
        }
    }

    /// Returns how many items must be read to fill this page.
    pub fn end(self) -> usize {
        self.skip + self.take
    }
}

fn parse_count(
    text: Option<&str>,
    name: &str,
    min: usize,
    max: usize,
    default: usize,
) -> Result<usize, String> {
    let Some(text) = text else {
        return Ok(default);
    };
    let is_digits = !text.is_empty() && text.bytes().all(|byte| byte.is_ascii_digit());
    let value = is_digits.then(|| text.parse::<usize>().ok()).flatten();
    match value {
        Some(value) if (min..=max).contains(&value) => Ok(value),
        _ => Err(format!("{name} must be an integer from {min} to {max}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn count_accepts_range_bounds() {
        assert_eq!(parse_count(Some("1"), "take", 1, 100, 10), Ok(1));
        assert_eq!(parse_count(Some("100"), "take", 1, 100, 10), Ok(100));
        assert_eq!(parse_count(None, "take", 1, 100, 10), Ok(10));
    }

    #[test]
    fn count_rejects_bad_text() {
        for text in [
            "",
            "-1",
            "0",
            "101",
            "1.5",
            "abc",
            " 3",
            "+3",
            "99999999999999999999999",
        ] {
            assert!(
                parse_count(Some(text), "take", 1, 100, 10).is_err(),
                "{text:?}"
            );
        }
    }
}
