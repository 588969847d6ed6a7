//! Prints the magic links the emulator's SES accepted, so a developer can sign in locally
//! without a mailbox.

use serde_json::Value;

/// Marker of a magic link's token inside a mail body.
const TOKEN_MARK: &str = "token=mgl_";

/// Reads the newest magic-link mail from moto and prints its link.
pub async fn print_newest_magic_link(endpoint: &str) {
    match newest_magic_link(endpoint).await {
        Ok(Some((to, link))) => println!("magic link for {to}: {link}"),
        Ok(None) => println!("no magic-link mail found in the emulator"),
        Err(error) => eprintln!("reading mail from the emulator failed: {error}"),
    }
}

async fn newest_magic_link(endpoint: &str) -> Result<Option<(String, String)>, reqwest::Error> {
    let data: Value = reqwest::get(format!("{endpoint}/moto-api/data.json"))
        .await?
        .json()
        .await?;
    let messages = data["ses"]["Message"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let newest = messages.iter().rev().find_map(|message| {
        let link = extract_link(message["body"].as_str()?)?;
        let to = message["destinations"]["ToAddresses"][0]
            .as_str()
            .unwrap_or_default();
        Some((to.to_owned(), link))
    });
    Ok(newest)
}

/// Finds the URL that carries a magic-link token in a text or HTML body.
fn extract_link(body: &str) -> Option<String> {
    let mark = body.find(TOKEN_MARK)?;
    let start = body[..mark].rfind("http")?;
    let end = body[mark..]
        .find(|c: char| c.is_whitespace() || matches!(c, '"' | '<' | '\''))
        .map_or(body.len(), |offset| mark + offset);
    Some(body[start..end].to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extracts_link_from_html() {
        let body = r#"<p><a href="http://localhost:3000/enter?token=mgl_abc">Sign in</a><br>http://localhost:3000/enter?token=mgl_abc</p>"#;

        assert_eq!(
            extract_link(body).as_deref(),
            Some("http://localhost:3000/enter?token=mgl_abc")
        );
    }

    #[test]
    fn no_token_no_link() {
        assert_eq!(extract_link("hello http://example.com"), None);
    }
}
