//! Email addresses: validated once at the edge, compared after trimming and lower-casing.

use std::fmt;

/// A syntactically valid email address, with its original casing kept for display.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email {
    display: String,
    normalized: String,
}

/// Maximum address length in bytes, the limit of an RFC 5321 path.
const MAX_LEN: usize = 254;

impl Email {
    /// Parses an address, returning `None` when it is not a valid email.
    pub fn parse(text: &str) -> Option<Self> {
        let display = text.trim();
        if !is_valid(display) {
            return None;
        }
        Some(Self {
            display: display.to_owned(),
            normalized: display.to_lowercase(),
        })
    }

    /// Returns the address as the user typed it, trimmed.
    pub fn as_str(&self) -> &str {
        &self.display
    }

    /// Returns the trimmed, lower-cased address that identifies one mailbox.
    pub fn normalized(&self) -> &str {
        &self.normalized
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display)
    }
}

/// Checks `local@domain` with a dotted domain, as class-validator's `IsEmail` accepts.
fn is_valid(text: &str) -> bool {
    if text.len() > MAX_LEN || text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    let Some((local, domain)) = text.rsplit_once('@') else {
        return false;
    };
    is_valid_local(local) && is_valid_domain(domain)
}

fn is_valid_local(local: &str) -> bool {
    const SPECIALS: &str = "!#$%&'*+/=?^_`{|}~.-";
    !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_alphanumeric() || SPECIALS.contains(c))
}

fn is_valid_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    let top = labels.last().copied().unwrap_or_default();
    labels.len() >= 2
        && top.chars().count() >= 2
        && !top.chars().all(|c| c.is_ascii_digit())
        && labels.iter().all(|label| is_valid_label(label))
}

fn is_valid_label(label: &str) -> bool {
    !label.is_empty()
        && label.len() <= 63
        && !label.starts_with('-')
        && !label.ends_with('-')
        && label.chars().all(|c| c.is_alphanumeric() || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_keeps_casing_and_normalizes() {
        let email = Email::parse("  Carol@Example.com ");

        assert_eq!(email.as_ref().map(Email::as_str), Some("Carol@Example.com"));
        assert_eq!(
            email.as_ref().map(Email::normalized),
            Some("carol@example.com")
        );
    }

    #[test]
    fn parse_accepts_common_forms() {
        for text in [
            "a@b.co",
            "first.last+tag@sub.example.org",
            "o'neil@example.ie",
        ] {
            assert!(Email::parse(text).is_some(), "{text}");
        }
    }

    #[test]
    fn parse_rejects_invalid_forms() {
        let cases = [
            "",
            "plain",
            "@example.com",
            "a@",
            "a@b",
            "a@b.c",
            "a b@example.com",
            "a@exa mple.com",
            "a..b@example.com",
            ".a@example.com",
            "a@-x.com",
            "a@example..com",
            "a@example.123",
            "a@b@example.com",
        ];
        for text in cases {
            assert!(Email::parse(text).is_none(), "{text}");
        }
    }
}
