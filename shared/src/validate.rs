//! Field rules that more than one endpoint applies.

use crate::error::{ApiError, ErrorCode};

/// Maximum workspace name length, in characters after trimming.
pub const MAX_WORKSPACE_NAME_CHARS: usize = 100;

/// Validates a workspace name: 1 to 100 characters after trimming, no control characters.
pub fn workspace_name(text: &str) -> Result<String, ApiError> {
    let name = text.trim();
    let chars = name.chars().count();
    let valid =
        (1..=MAX_WORKSPACE_NAME_CHARS).contains(&chars) && !name.chars().any(char::is_control);
    if !valid {
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
}
