//! Evaluation of an authorizer's IAM policy against a method ARN, as API Gateway does it.

use aws_lambda_events::apigw::ApiGatewayCustomAuthorizerPolicy;
use aws_lambda_events::iam::IamPolicyEffect;

/// Outcome of a policy for one method ARN.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    Allow,
    Deny,
}

/// Decides: an explicit Deny wins, then an Allow, and no matching statement denies.
pub fn evaluate(policy: &ApiGatewayCustomAuthorizerPolicy, method_arn: &str) -> Decision {
    let mut allowed = false;
    for statement in &policy.statement {
        let invokes = statement
            .action
            .iter()
            .any(|action| glob_match(action, "execute-api:Invoke"));
        let covers = statement
            .resource
            .iter()
            .any(|resource| glob_match(resource, method_arn));
        if !(invokes && covers) {
            continue;
        }
        match statement.effect {
            IamPolicyEffect::Deny => return Decision::Deny,
            IamPolicyEffect::Allow => allowed = true,
            _ => {}
        }
    }
    if allowed {
        Decision::Allow
    } else {
        Decision::Deny
    }
}

/// Matches IAM wildcards: `*` is any run of characters, `/` included, and `?` one character.
fn glob_match(pattern: &str, text: &str) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let text: Vec<char> = text.chars().collect();
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;

    while t < text.len() {
        if p < pattern.len() && (pattern[p] == '?' || pattern[p] == text[t]) {
            p += 1;
            t += 1;
        } else if p < pattern.len() && pattern[p] == '*' {
            star = Some((p, t));
            p += 1;
        } else if let Some((star_p, star_t)) = star {
            p = star_p + 1;
            t = star_t + 1;
            star = Some((star_p, star_t + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_matches_across_slashes() {
        let pattern = "arn:aws:execute-api:us-east-1:1:api/Prod/*/v1/infra/*";

        assert!(glob_match(
            pattern,
            "arn:aws:execute-api:us-east-1:1:api/Prod/GET/v1/infra/users"
        ));
        assert!(glob_match(
            pattern,
            "arn:aws:execute-api:us-east-1:1:api/Prod/PATCH/v1/infra/users/u/admin-status"
        ));
        assert!(!glob_match(
            pattern,
            "arn:aws:execute-api:us-east-1:1:api/Prod/GET/v1/admin/users"
        ));
        assert!(!glob_match(
            pattern,
            "arn:aws:execute-api:us-east-1:1:api/Dev/GET/v1/infra/users"
        ));
    }

    #[test]
    fn glob_exact_and_question_mark() {
        assert!(glob_match("execute-api:Invoke", "execute-api:Invoke"));
        assert!(glob_match("execute-api:*", "execute-api:Invoke"));
        assert!(glob_match("a?c", "abc"));
        assert!(!glob_match("a?c", "ac"));
    }
}
