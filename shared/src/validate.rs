//! Field rules that more than one endpoint applies.

use crate::error::{ApiError, ErrorCode};

/// Maximum workspace name length, in characters as sent.
pub const MAX_WORKSPACE_NAME_CHARS: usize = 100;

/// Returns `text` without surrounding whitespace, or `None` when it has more than `max`
/// characters as sent. The length is checked before trimming because the OpenAPI
/// `maxLength` of a field applies to the string in the request.
pub fn trim_within(text: &str, max: usize) -> Option<&str> {
    (text.chars().count() <= max).then(|| text.trim())
}

/// Validates a workspace name: at most 100 characters, not blank, no control characters.
/// Returns it trimmed.
pub fn workspace_name(text: &str) -> Result<String, ApiError> {
    let name = trim_within(text, MAX_WORKSPACE_NAME_CHARS).unwrap_or_default();
    if name.is_empty() || name.chars().any(char::is_control) {
        return Err(ErrorCode::WorkspaceNameInvalid.into());
    }
    Ok(name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workspace_name_rules() {
        assert_eq!(workspace_name("  Team A ").ok().as_deref(), Some("Team A"));
        assert!(workspace_name("").is_err());
        assert!(workspace_name("   ").is_err());
        assert!(workspace_name("a\nb").is_err());
        assert!(workspace_name(&"x".repeat(100)).is_ok());
        assert!(workspace_name(&"x".repeat(101)).is_err());
    }

    #[test]
    fn length_counts_untrimmed_text() {
        let padded = format!("{}\u{a0}", "x".repeat(100));
        assert!(workspace_name(&padded).is_err());
        assert_eq!(trim_within(&padded, 101), Some("x".repeat(100).as_str()));
        assert_eq!(trim_within(&padded, 100), None);
        assert_eq!(trim_within(&"é".repeat(3), 3), Some("ééé"));
    }
}
