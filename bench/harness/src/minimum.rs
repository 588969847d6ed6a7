//! The fewest DynamoDB and SES calls one successful request of each function can make,
//! with the single-table key design, the counters kept exact and the audit entry written.
//! Each minimum is for the request the benchmark sends (see `cases.rs`).

/// The minimum number of calls one request of a function can make.
#[derive(Clone, Copy, Debug)]
pub struct Minimum {
    pub dynamodb: u32,
    pub ses: u32,
    /// The calls that make up the minimum.
    pub breakdown: &'static str,
}

const fn calls(dynamodb: u32, ses: u32, breakdown: &'static str) -> Option<Minimum> {
    Some(Minimum {
        dynamodb,
        ses,
        breakdown,
    })
}

/// Returns the minimum of `binary`, when one is recorded.
pub fn minimum(binary: &str) -> Option<Minimum> {
    match binary {
        "infra-token-authorizer" => calls(
            1,
            0,
            "GetItem of the token by hash; lastUsedOn is written at most once a minute",
        ),
        "admin-session-authorizer" => calls(1, 0, "BatchGetItem of the user and the session"),
        "infra-list-users" => calls(1, 0, "Query of the user index, one page"),
        "infra-get-user" => calls(1, 0, "GetItem of the user"),
        "infra-update-user" => calls(
            2,
            0,
            "GetItem (the index sort key needs isAdmin); a transaction with the rename and audit entry",
        ),
        "infra-set-admin-status" => calls(
            2,
            0,
            "GetItem (the index sort key needs the name); a transaction with flag, admins counter and audit entry",
        ),
        "infra-delete-user" => calls(
            5,
            0,
            "GetItem user; Query memberships; Query sessions; GetItem invitation; one transaction with every delete, counters and audit",
        ),
        "infra-user-workspaces" => calls(
            2,
            0,
            "Query memberships; BatchGetItem of the user and the workspaces",
        ),
        "infra-invite-user" => calls(
            2,
            1,
            "GetItem inviter (its email goes in the mail); a transaction with the invitation, counter and audit; SendEmail",
        ),
        "infra-list-invitations" => calls(
            2,
            0,
            "Query the invitation page; BatchGetItem of their email markers to leave out users",
        ),
        "infra-revoke-invitations" => calls(
            1,
            0,
            "per address, a transaction with the delete, counter and audit",
        ),
        "auth-signin" => calls(1, 1, "PutItem of the magic link; SendEmail"),
        "auth-verify" => calls(
            4,
            0,
            "Query the link by hash; BatchGetItem of marker and invitation; GetItem user; one transaction consuming the link and starting the session",
        ),
        "auth-refresh" => calls(
            2,
            0,
            "conditional UpdateItem of the session returning it; GetItem user for the access token's claims",
        ),
        "auth-logout" => calls(
            1,
            0,
            "DeleteItem of the session, conditional on the refresh hash",
        ),
        "auth-me" => calls(1, 0, "BatchGetItem of the user and the session"),
        "admin-create-infra-token" => calls(
            2,
            0,
            "GetItem creator (its email is stored); a transaction with token, id item and audit",
        ),
        "admin-list-infra-tokens" => calls(1, 0, "Query of the token index, one page"),
        "admin-revoke-infra-token" => calls(
            2,
            0,
            "GetItem of the id item for the hash; a transaction deleting token and id item with audit",
        ),
        "admin-list-audit" => calls(1, 0, "Query of the audit index, one page"),
        "sweeper" => calls(
            5,
            0,
            "one index Query per kind (4); one transaction per expired token",
        ),
        "admin-insights" => calls(
            2,
            0,
            "GetItem of the counters; Query of the user index for activity",
        ),
        "admin-create-workspace" => calls(
            1,
            0,
            "one transaction: owner check, workspace, membership, counter, audit",
        ),
        "admin-list-workspaces" => calls(1, 0, "Query of the workspace index, one page"),
        "admin-get-workspace" => calls(1, 0, "GetItem of the workspace"),
        "admin-rename-workspace" => calls(
            2,
            0,
            "UpdateItem returning the workspace (the response needs its counts); audit entry",
        ),
        "admin-list-members" => calls(2, 0, "Query memberships; BatchGetItem of their users"),
        "admin-add-member" => calls(
            3,
            0,
            "GetItem email marker; Query the mailbox's pending invitations; one transaction with membership, count and audit",
        ),
        "admin-update-member" => calls(
            2,
            0,
            "GetItem membership (old role); a transaction with role, counts and audit",
        ),
        "admin-remove-member" => calls(
            2,
            0,
            "GetItem membership (its role); a transaction with delete, count and audit",
        ),
        "admin-import-collections" => calls(
            2,
            0,
            "GetItem workspace (positions continue after its content); one transaction per 90 items with counters and audit",
        ),
        "admin-list-collections" => calls(
            2,
            0,
            "GetItem workspace (live check); Query of its collections",
        ),
        "admin-list-requests" => calls(
            2,
            0,
            "GetItem workspace (live check); Query of its requests",
        ),
        "admin-delete-workspace" => calls(
            4,
            0,
            "GetItem counts; mark transaction (commit point: counters, audit); Query after the mark, when nothing can be added; one delete transaction per 90 items",
        ),
        "admin-list-workspace-invitations" => {
            calls(1, 0, "one Query of the workspace item and its invitations")
        }
        "admin-revoke-workspace-invitation" => calls(
            1,
            0,
            "one transaction with the conditional delete and audit",
        ),
        "api-docs" => calls(0, 0, "the document is built in the binary"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_function_has_a_minimum() {
        let template = api_tests::load_template(&[]);

        let missing: Vec<&str> = template
            .functions
            .iter()
            .map(|function| function.binary.as_str())
            .filter(|binary| minimum(binary).is_none())
            .collect();

        assert!(missing.is_empty(), "no minimum for {missing:?}");
    }
}
