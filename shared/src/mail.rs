//! The SES v2 mailer and the message templates kept in `shared/templates/`.

use aws_config::SdkConfig;
use aws_config::retry::RetryConfig;
use aws_sdk_sesv2::types::{Body, Content, Destination, EmailContent, Message};

use crate::aws_calls::CallCounter;

/// Mail rendered from a template, ready to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Sending failed; the cause is logged, never sent to clients.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("SES SendEmail failed")]
    Send(#[source] Box<dyn std::error::Error + Send + Sync>),
    #[error("mail is invalid: {0}")]
    Invalid(String),
    #[error("mail is disabled: MAIL_ENABLED is not true in this function's environment")]
    Disabled,
}

/// Sends mail through SES v2 from one configured sender.
#[derive(Clone, Debug)]
pub struct Mailer {
    /// The SES client, built only when mail is enabled. Building one parses the SDK's
    /// endpoint partition table, an init cost that a function sending no mail should avoid.
    client: Option<aws_sdk_sesv2::Client>,
    sender: String,
}

impl Mailer {
    /// Builds the SES client once, when `enabled`.
    ///
    /// SendEmail has no idempotency key, so the client makes one attempt: a timed-out
    /// attempt may still have sent the mail, and an automatic retry could send it twice.
    /// Callers undo their own writes on failure instead, so that the caller's retry starts
    /// afresh.
    pub fn new(sdk_config: &SdkConfig, sender: String, enabled: bool) -> Self {
        let client = enabled.then(|| {
            let config = aws_sdk_sesv2::config::Builder::from(sdk_config)
                .retry_config(RetryConfig::disabled())
                .interceptor(CallCounter::Ses)
                .build();
            aws_sdk_sesv2::Client::from_conf(config)
        });
        Self { client, sender }
    }

    /// Returns the SES client for callers that manage identities, or `None` with mail off.
    pub fn client(&self) -> Option<&aws_sdk_sesv2::Client> {
        self.client.as_ref()
    }

    /// Tells whether mail is sent at all; with mail off, callers hand links out directly.
    pub fn is_enabled(&self) -> bool {
        self.client.is_some()
    }

    /// Sends a message with a plain-text and an HTML part; returns the SES message id.
    pub async fn send(&self, mail: &Mail) -> Result<String, MailError> {
        let client = self.client.as_ref().ok_or(MailError::Disabled)?;
        let content = EmailContent::builder()
            .simple(
                Message::builder()
                    .subject(utf8(&mail.subject)?)
                    .body(
                        Body::builder()
                            .text(utf8(&mail.text)?)
                            .html(utf8(&mail.html)?)
                            .build(),
                    )
                    .build(),
            )
            .build();
        let output = client
            .send_email()
            .from_email_address(&self.sender)
            .destination(Destination::builder().to_addresses(&mail.to).build())
            .content(content)
            .send()
            .await
            .map_err(|error| MailError::Send(Box::new(error)))?;

        Ok(output.message_id.unwrap_or_default())
    }
}

fn utf8(text: &str) -> Result<Content, MailError> {
    Content::builder()
        .data(text)
        .charset("UTF-8")
        .build()
        .map_err(|error| MailError::Invalid(error.to_string()))
}

/// A message template: subject, plain-text and HTML parts, with `{{name}}` placeholders.
#[derive(Clone, Copy, Debug)]
pub struct Template {
    subject: &'static str,
    text: &'static str,
    html: &'static str,
}

/// The mail that invites someone to the instance.
pub const INVITATION: Template = Template {
    subject: include_str!("../templates/invitation-subject.txt"),
    text: include_str!("../templates/invitation.txt"),
    html: include_str!("../templates/invitation.html"),
};

/// The mail that carries a sign-in magic link.
pub const MAGIC_LINK: Template = Template {
    subject: include_str!("../templates/magic-link-subject.txt"),
    text: include_str!("../templates/magic-link.txt"),
    html: include_str!("../templates/magic-link.html"),
};

impl Template {
    /// Renders the template for `to`, with each value HTML-escaped in the HTML part.
    pub fn render(&self, to: &str, values: &[(&str, &str)]) -> Mail {
        Mail {
            to: to.to_owned(),
            subject: fill(self.subject, values, false).trim().to_owned(),
            text: fill(self.text, values, false),
            html: fill(self.html, values, true),
        }
    }
}

/// Replaces each `{{name}}` with its value, HTML-escaped when `html` is set.
fn fill(template: &str, values: &[(&str, &str)], html: bool) -> String {
    let mut text = template.to_owned();
    for (name, value) in values {
        let value = if html {
            escape_html(value)
        } else {
            (*value).to_owned()
        };
        text = text.replace(&format!("{{{{{name}}}}}"), &value);
    }
    text
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mail() -> Mail {
        let values = [
            ("instance", "Acme <API>"),
            ("inviter", "admin@example.com"),
            ("link", "https://app.example.com/enter?a=1&b=2"),
            ("expires", "2026-12-11T00:00:00.000Z"),
        ];
        INVITATION.render("carol@example.com", &values)
    }

    fn sdk_config() -> SdkConfig {
        SdkConfig::builder()
            .behavior_version(aws_config::BehaviorVersion::latest())
            .region(aws_config::Region::new("us-east-1"))
            .build()
    }

    #[test]
    fn disabled_mailer_builds_no_client() {
        let mailer = Mailer::new(&sdk_config(), String::new(), false);

        assert!(!mailer.is_enabled());
        assert!(mailer.client().is_none());
    }

    #[test]
    fn enabled_mailer_builds_client() {
        let mailer = Mailer::new(&sdk_config(), "noreply@example.com".to_owned(), true);

        assert!(mailer.is_enabled());
        assert!(mailer.client().is_some());
    }

    #[tokio::test]
    async fn disabled_mailer_rejects_send() {
        let mailer = Mailer::new(&sdk_config(), String::new(), false);

        let result = mailer.send(&mail()).await;

        assert!(matches!(result, Err(MailError::Disabled)));
    }

    #[test]
    fn invitation_names_instance_and_link() {
        let mail = mail();

        assert_eq!(mail.subject, "You have been invited to Acme <API>");
        assert!(mail.text.contains("https://app.example.com/enter?a=1&b=2"));
        assert!(
            mail.text
                .contains("admin@example.com invited you to join Acme <API>.")
        );
        assert!(!mail.text.contains("{{"));
    }

    #[test]
    fn magic_link_fills_every_placeholder() {
        let values = [
            ("instance", "Acme"),
            ("link", "https://x.test/enter?token=t"),
            ("expires", "soon"),
        ];
        let mail = MAGIC_LINK.render("a@example.com", &values);

        assert_eq!(mail.subject, "Sign in to Acme");
        assert!(mail.text.contains("https://x.test/enter?token=t"));
        assert!(!mail.text.contains("{{"));
        assert!(!mail.html.contains("{{"));
    }

    #[test]
    fn invitation_html_is_escaped() {
        let mail = mail();

        assert!(mail.html.contains("Acme &lt;API&gt;"));
        assert!(
            mail.html
                .contains("href=\"https://app.example.com/enter?a=1&amp;b=2\"")
        );
        assert!(!mail.html.contains("{{"));
    }
}
