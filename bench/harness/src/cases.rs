//! One benchmark case per function in `template.yaml`: the events it is invoked with,
//! built through the local gateway on seeded data, and the fewest AWS calls it needs.

use std::time::Duration;

use api_tests::TestApi;
use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, Method, Uri};
use chrono::Utc;
use serde_json::{Value, json};
use shared::email::Email;
use shared::store::{Role, User};

/// Items seeded for each list function, so that a page contains more than one.
const LIST_SEED: usize = 10;

/// The credential a request carries.
#[derive(Clone, Copy, Debug)]
enum Auth {
    /// The bootstrap InfraToken.
    Token,
    /// An admin access token.
    Session,
    None,
}

/// One HTTP request of a case.
#[derive(Debug)]
struct Call {
    method: Method,
    path: String,
    auth: Auth,
    body: Option<Value>,
}

impl Call {
    fn new(method: Method, path: impl Into<String>, auth: Auth, body: Option<Value>) -> Self {
        Self {
            method,
            path: path.into(),
            auth,
            body,
        }
    }
}

/// Seeded data shared by every case of one run.
#[derive(Debug)]
pub struct Fixture {
    pub api: TestApi,
    access_token: String,
    workspace_id: String,
}

/// The bench cannot build a case's events.
#[derive(Debug, thiserror::Error)]
pub enum CaseError {
    #[error("no benchmark case for binary {0}")]
    Unknown(String),
    #[error("{method} {path} did not reach a function: HTTP {status}")]
    Refused {
        method: Method,
        path: String,
        status: u16,
    },
    #[error("{method} {path} reached {actual}, not {expected}")]
    WrongBinary {
        method: Method,
        path: String,
        actual: String,
        expected: String,
    },
    #[error("seeding failed: {0}")]
    Seed(String),
}

impl Fixture {
    /// Starts a local gateway on a new table with an admin session and one workspace.
    pub async fn start() -> Result<Self, CaseError> {
        let api = TestApi::start().await;
        let signed_in = api.sign_in(api.admin.email.as_str()).await;
        let access_token = text(&signed_in["accessToken"])?;
        let workspace = api
            .context
            .store
            .create_workspace("Bench", &api.admin.uid)
            .await
            .map_err(seed_error)?
            .ok_or_else(|| CaseError::Seed("workspace not created".to_owned()))?;
        Ok(Self {
            api,
            access_token,
            workspace_id: workspace.id,
        })
    }

    /// Returns `count` events that invoke `binary`, each valid on its own.
    pub async fn events(&self, binary: &str, count: usize) -> Result<Vec<Value>, CaseError> {
        let mut events = Vec::with_capacity(count);
        for index in 0..count {
            events.push(self.event(binary, index).await?);
        }
        Ok(events)
    }

    async fn event(&self, binary: &str, index: usize) -> Result<Value, CaseError> {
        match binary {
            "infra-token-authorizer" => {
                let call = Call::new(Method::GET, "/v1/infra/users", Auth::Token, None);
                self.authorizer_event(call, binary).await
            }
            "admin-session-authorizer" => {
                let call = Call::new(Method::GET, "/v1/admin/users", Auth::Session, None);
                self.authorizer_event(call, binary).await
            }
            "sweeper" => self.sweeper_event(index).await,
            _ => {
                if index == 0 {
                    self.seed_list(binary).await?;
                }
                let call = self.call(binary, index).await?;
                self.proxy_event(call, binary).await
            }
        }
    }

    /// Builds the request of an HTTP function, seeding what it needs to succeed.
    async fn call(&self, binary: &str, index: usize) -> Result<Call, CaseError> {
        let workspace = format!("/v1/admin/workspaces/{}", self.workspace_id);
        let unique = uuid::Uuid::new_v4().simple().to_string();
        let call = match binary {
            "infra-list-users" => {
                Call::new(Method::GET, "/v1/infra/users?take=20", Auth::Token, None)
            }
            "infra-get-user" => {
                let user = self.user(&unique).await?;
                Call::new(
                    Method::GET,
                    format!("/v1/infra/users/{}", user.uid),
                    Auth::Token,
                    None,
                )
            }
            "infra-update-user" => {
                let user = self.user(&unique).await?;
                let body = json!({ "displayName": format!("Renamed {index}") });
                Call::new(
                    Method::PATCH,
                    format!("/v1/infra/users/{}", user.uid),
                    Auth::Token,
                    Some(body),
                )
            }
            "infra-set-admin-status" => {
                let user = self.user(&unique).await?;
                let path = format!("/v1/infra/users/{}/admin-status", user.uid);
                Call::new(
                    Method::PATCH,
                    path,
                    Auth::Token,
                    Some(json!({ "isAdmin": true })),
                )
            }
            "infra-delete-user" => {
                let user = self.user(&unique).await?;
                Call::new(
                    Method::DELETE,
                    format!("/v1/infra/users/{}", user.uid),
                    Auth::Token,
                    None,
                )
            }
            "infra-user-workspaces" => {
                let path = format!("/v1/infra/users/{}/workspaces", self.api.admin.uid);
                Call::new(Method::GET, path, Auth::Token, None)
            }
            "infra-invite-user" => {
                let body = json!({ "inviteeEmail": format!("invitee-{unique}@example.com") });
                Call::new(
                    Method::POST,
                    "/v1/infra/user-invitations",
                    Auth::Token,
                    Some(body),
                )
            }
            "infra-list-invitations" => Call::new(
                Method::GET,
                "/v1/infra/user-invitations?take=20",
                Auth::Token,
                None,
            ),
            "infra-revoke-invitations" => {
                let email = format!("revoked-{unique}@example.com");
                self.invitation(&email).await?;
                let body = json!({ "inviteeEmails": [email] });
                Call::new(
                    Method::DELETE,
                    "/v1/infra/user-invitations",
                    Auth::Token,
                    Some(body),
                )
            }
            "auth-signin" => {
                let body = json!({ "email": self.api.admin.email.as_str() });
                Call::new(Method::POST, "/v1/auth/signin", Auth::None, Some(body))
            }
            "auth-verify" => {
                // A newer link replaces the older one, so each event signs in its own user.
                let user = self.user(&unique).await?;
                let token = self.api.request_magic_link(&user.email).await;
                Call::new(
                    Method::POST,
                    "/v1/auth/verify",
                    Auth::None,
                    Some(json!({ "token": token })),
                )
            }
            "auth-refresh" | "auth-logout" => {
                let signed_in = self.api.sign_in(self.api.admin.email.as_str()).await;
                let body = json!({ "refreshToken": signed_in["refreshToken"] });
                let path = format!("/v1/auth/{}", binary.trim_start_matches("auth-"));
                Call::new(Method::POST, path, Auth::None, Some(body))
            }
            "auth-me" => Call::new(Method::GET, "/v1/auth/me", Auth::Session, None),
            "admin-create-infra-token" => {
                let body = json!({ "label": format!("bench {index}"), "expiryInDays": 30 });
                Call::new(
                    Method::POST,
                    "/v1/admin/infra-tokens",
                    Auth::Session,
                    Some(body),
                )
            }
            "admin-list-infra-tokens" => Call::new(
                Method::GET,
                "/v1/admin/infra-tokens?take=20",
                Auth::Session,
                None,
            ),
            "admin-revoke-infra-token" => {
                let id = self.infra_token().await?;
                Call::new(
                    Method::DELETE,
                    format!("/v1/admin/infra-tokens/{id}"),
                    Auth::Session,
                    None,
                )
            }
            "admin-list-audit" => {
                Call::new(Method::GET, "/v1/admin/audit?take=20", Auth::Session, None)
            }
            "admin-insights" => Call::new(Method::GET, "/v1/admin/insights", Auth::Session, None),
            "admin-create-workspace" => {
                let body =
                    json!({ "name": format!("Team {unique}"), "ownerUid": self.api.admin.uid });
                Call::new(
                    Method::POST,
                    "/v1/admin/workspaces",
                    Auth::Session,
                    Some(body),
                )
            }
            "admin-list-workspaces" => Call::new(
                Method::GET,
                "/v1/admin/workspaces?take=20",
                Auth::Session,
                None,
            ),
            "admin-get-workspace" => Call::new(Method::GET, workspace, Auth::Session, None),
            "admin-rename-workspace" => {
                let body = json!({ "name": format!("Bench {index}") });
                Call::new(Method::PATCH, workspace, Auth::Session, Some(body))
            }
            "admin-list-members" => Call::new(
                Method::GET,
                format!("{workspace}/members"),
                Auth::Session,
                None,
            ),
            "admin-add-member" => {
                let user = self.user(&unique).await?;
                let body = json!({ "email": user.email, "role": "VIEWER" });
                Call::new(
                    Method::POST,
                    format!("{workspace}/members"),
                    Auth::Session,
                    Some(body),
                )
            }
            "admin-update-member" => {
                let user = self.member(&unique).await?;
                let path = format!("{workspace}/members/{}", user.uid);
                Call::new(
                    Method::PATCH,
                    path,
                    Auth::Session,
                    Some(json!({ "role": "EDITOR" })),
                )
            }
            "admin-remove-member" => {
                let user = self.member(&unique).await?;
                let path = format!("{workspace}/members/{}", user.uid);
                Call::new(Method::DELETE, path, Auth::Session, None)
            }
            "admin-import-collections" => {
                let id = self.workspace(&unique).await?;
                let path = format!("/v1/admin/workspaces/{id}/collections/import");
                Call::new(Method::POST, path, Auth::Session, Some(collection()?))
            }
            "admin-list-collections" => Call::new(
                Method::GET,
                format!("{workspace}/collections"),
                Auth::Session,
                None,
            ),
            "admin-list-requests" => Call::new(
                Method::GET,
                format!("{workspace}/requests?take=20"),
                Auth::Session,
                None,
            ),
            "admin-delete-workspace" => {
                let id = self.workspace(&unique).await?;
                Call::new(
                    Method::DELETE,
                    format!("/v1/admin/workspaces/{id}"),
                    Auth::Session,
                    None,
                )
            }
            "admin-list-workspace-invitations" => Call::new(
                Method::GET,
                format!("{workspace}/invitations"),
                Auth::Session,
                None,
            ),
            "admin-revoke-workspace-invitation" => {
                let id = self.workspace_invitation(&unique).await?;
                Call::new(
                    Method::DELETE,
                    format!("{workspace}/invitations/{id}"),
                    Auth::Session,
                    None,
                )
            }
            "api-docs" => Call::new(Method::GET, "/api-docs-json", Auth::None, None),
            other => return Err(CaseError::Unknown(other.to_owned())),
        };
        Ok(call)
    }

    async fn proxy_event(&self, call: Call, binary: &str) -> Result<Value, CaseError> {
        let invocation = self.invocation(&call).await?;
        if invocation.binary != binary {
            return Err(wrong_binary(&call, &invocation.binary, binary));
        }
        Ok(invocation.event)
    }

    async fn authorizer_event(&self, call: Call, binary: &str) -> Result<Value, CaseError> {
        let invocation = self.invocation(&call).await?;
        match invocation.authorizer {
            Some((authorizer, event)) if authorizer == binary => Ok(event),
            Some((authorizer, _)) => Err(wrong_binary(&call, &authorizer, binary)),
            None => Err(wrong_binary(&call, "no authorizer", binary)),
        }
    }

    async fn invocation(&self, call: &Call) -> Result<local_gateway::Invocation, CaseError> {
        let uri: Uri = call.path.parse().map_err(|_| refused(call, 0))?;
        let mut headers = HeaderMap::new();
        headers.insert("content-type", HeaderValue::from_static("application/json"));
        let authorization = match call.auth {
            Auth::Token => Some(format!("Bearer {}", self.api.token)),
            Auth::Session => Some(format!("Bearer {}", self.access_token)),
            Auth::None => None,
        };
        if let Some(value) = authorization.and_then(|value| HeaderValue::from_str(&value).ok()) {
            headers.insert("authorization", value);
        }
        let body = call
            .body
            .as_ref()
            .map(|body| Bytes::from(body.to_string()))
            .unwrap_or_default();

        self.api
            .gateway
            .invocation(call.method.clone(), &uri, headers, body)
            .await
            .map_err(|response| refused(call, response.status().as_u16()))
    }

    /// Seeds the items a list function returns, so that its page is not empty.
    async fn seed_list(&self, binary: &str) -> Result<(), CaseError> {
        if matches!(binary, "admin-list-collections" | "admin-list-requests") {
            return self.import_collection().await;
        }
        for _ in 0..LIST_SEED {
            let unique = uuid::Uuid::new_v4().simple().to_string();
            match binary {
                "infra-list-users" => {
                    self.user(&unique).await?;
                }
                "infra-list-invitations" => {
                    self.invitation(&format!("pending-{unique}@example.com"))
                        .await?;
                }
                "admin-list-infra-tokens" | "admin-list-audit" => {
                    self.api.create_token(None).await;
                }
                "admin-list-workspaces" | "infra-user-workspaces" => {
                    self.workspace(&unique).await?;
                }
                "admin-list-members" => {
                    self.member(&unique).await?;
                }
                "admin-list-workspace-invitations" => {
                    self.workspace_invitation(&unique).await?;
                }
                _ => return Ok(()),
            }
        }
        Ok(())
    }

    /// Imports the collection file into the shared workspace.
    async fn import_collection(&self) -> Result<(), CaseError> {
        let header = format!("Bearer {}", self.access_token);
        let path = format!(
            "/v1/admin/workspaces/{}/collections/import",
            self.workspace_id
        );
        let reply = self
            .api
            .send(Method::POST, &path, Some(&header), Some(collection()?))
            .await;
        if reply.status.is_success() {
            Ok(())
        } else {
            Err(CaseError::Seed(format!("import failed: {}", reply.body)))
        }
    }

    /// Returns the sweeper's scheduled event. Before the first, it leaves one expired
    /// InfraToken to delete, so the first invocation deletes one and the others none.
    async fn sweeper_event(&self, index: usize) -> Result<Value, CaseError> {
        if index == 0 {
            let expired = Utc::now() - Duration::from_secs(60);
            self.api.create_token(Some(expired)).await;
        }
        let path = api_tests::repo_root().join("events/sweeper/scheduled.json");
        let text =
            std::fs::read_to_string(path).map_err(|error| CaseError::Seed(error.to_string()))?;
        serde_json::from_str(&text).map_err(|error| CaseError::Seed(error.to_string()))
    }

    async fn user(&self, unique: &str) -> Result<User, CaseError> {
        let email = format!("user-{unique}@example.com");
        Ok(self
            .api
            .create_user(&email, Some("Bench User"), false)
            .await)
    }

    /// Creates a user who is a viewer of the shared workspace.
    async fn member(&self, unique: &str) -> Result<User, CaseError> {
        let user = self.user(unique).await?;
        self.api
            .context
            .store
            .add_member(&self.workspace_id, &user.uid, Role::Viewer)
            .await
            .map_err(seed_error)?;
        Ok(user)
    }

    async fn workspace(&self, unique: &str) -> Result<String, CaseError> {
        let workspace = self
            .api
            .context
            .store
            .create_workspace(&format!("Scratch {unique}"), &self.api.admin.uid)
            .await
            .map_err(seed_error)?
            .ok_or_else(|| CaseError::Seed("workspace not created".to_owned()))?;
        Ok(workspace.id)
    }

    async fn invitation(&self, email: &str) -> Result<(), CaseError> {
        let invitee = parse_email(email)?;
        self.api
            .context
            .store
            .create_invitation(&invitee, &self.api.admin, chrono::Duration::hours(1), None)
            .await
            .map_err(seed_error)?;
        Ok(())
    }

    async fn workspace_invitation(&self, unique: &str) -> Result<String, CaseError> {
        let email = parse_email(&format!("guest-{unique}@example.com"))?;
        let invitation = self
            .api
            .context
            .store
            .create_workspace_invitation(
                &self.workspace_id,
                &email,
                Role::Viewer,
                &self.api.admin.uid,
            )
            .await
            .map_err(seed_error)?;
        Ok(invitation.id)
    }

    async fn infra_token(&self) -> Result<String, CaseError> {
        let body = json!({ "label": "revoked by the bench" });
        let header = format!("Bearer {}", self.access_token);
        let reply = self
            .api
            .send(
                Method::POST,
                "/v1/admin/infra-tokens",
                Some(&header),
                Some(body),
            )
            .await;
        text(&reply.body["info"]["id"])
    }
}

/// Reads the collection file every import case sends.
fn collection() -> Result<Value, CaseError> {
    let path = api_tests::repo_root().join("tests/fixtures/inventory-api.json");
    let text = std::fs::read_to_string(path).map_err(|error| CaseError::Seed(error.to_string()))?;
    serde_json::from_str(&text).map_err(|error| CaseError::Seed(error.to_string()))
}

fn parse_email(text: &str) -> Result<Email, CaseError> {
    Email::parse(text).ok_or_else(|| CaseError::Seed(format!("{text} is not a valid email")))
}

fn text(value: &Value) -> Result<String, CaseError> {
    value
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| CaseError::Seed(format!("expected a string, got {value}")))
}

fn seed_error(error: impl std::fmt::Display) -> CaseError {
    CaseError::Seed(error.to_string())
}

fn refused(call: &Call, status: u16) -> CaseError {
    CaseError::Refused {
        method: call.method.clone(),
        path: call.path.clone(),
        status,
    }
}

fn wrong_binary(call: &Call, actual: &str, expected: &str) -> CaseError {
    CaseError::WrongBinary {
        method: call.method.clone(),
        path: call.path.clone(),
        actual: actual.to_owned(),
        expected: expected.to_owned(),
    }
}
