//! First-run set-up of a fresh table: the table itself, a first admin and an InfraToken.

use shared::AppContext;
use shared::email::Email;
use shared::secret::Secret;
use shared::store::{Actor, InfraToken, NewInfraToken, NewUser, StoreError, User};

use crate::table::{TableError, ensure_table};
use crate::template::Template;

/// Label of the InfraToken that bootstrap creates.
pub const BOOTSTRAP_TOKEN_LABEL: &str = "bootstrap";

/// Result of a bootstrap run.
#[derive(Debug)]
#[allow(clippy::large_enum_variant, reason = "built once per process")]
pub enum Outcome {
    /// The table had no users: an admin and a token that never expires were created.
    Created {
        admin: User,
        token: InfraToken,
        secret: Secret,
    },
    /// The table already had users; nothing was changed.
    AlreadyDone { users: i64 },
}

/// Bootstrap failed.
#[derive(Debug, thiserror::Error)]
pub enum BootstrapError {
    #[error(transparent)]
    Table(#[from] TableError),
    #[error("store failed: {0}")]
    Store(#[from] StoreError),
    #[error("verifying the mail sender failed: {0}")]
    Mail(String),
}

/// Verifies the sender's domain in the emulator's SES, which rejects unverified senders.
pub async fn verify_sender(context: &AppContext) -> Result<(), BootstrapError> {
    match context.config.mail_sender.rsplit_once('@') {
        Some((_, domain)) => verify_domain(context, domain).await,
        None => Ok(()),
    }
}

/// Verifies a domain identity in the emulator's SES; one that already exists is kept, and with
/// mail off there is no SES client and nothing to verify.
pub async fn verify_domain(context: &AppContext, domain: &str) -> Result<(), BootstrapError> {
    let Some(client) = context.mailer.client() else {
        return Ok(());
    };
    let result = client
        .create_email_identity()
        .email_identity(domain)
        .send()
        .await;
    match result {
        Ok(_) => Ok(()),
        Err(error)
            if error
                .as_service_error()
                .is_some_and(|e| e.is_already_exists_exception()) =>
        {
            Ok(())
        }
        Err(error) => Err(BootstrapError::Mail(error.to_string())),
    }
}

/// Creates the table if needed, then the first admin and an InfraToken if it has no users.
pub async fn bootstrap(
    context: &AppContext,
    template: &Template,
    admin_email: &Email,
) -> Result<Outcome, BootstrapError> {
    let store = &context.store;
    ensure_table(store.client(), store.table(), &template.table).await?;

    let users = store.get_counters().await?.users;
    if users > 0 {
        return Ok(Outcome::AlreadyDone { users });
    }

    let admin = store
        .create_user(NewUser {
            email: admin_email.clone(),
            display_name: Some("Admin".to_owned()),
            is_admin: true,
        })
        .await?;
    let (token, secret) = store
        .create_infra_token(
            NewInfraToken {
                label: BOOTSTRAP_TOKEN_LABEL.to_owned(),
                creator_uid: admin.uid.clone(),
                creator_email: admin.email.clone(),
                expires_on: None,
            },
            &Actor::system(),
        )
        .await?;
    Ok(Outcome::Created {
        admin,
        token,
        secret,
    })
}
