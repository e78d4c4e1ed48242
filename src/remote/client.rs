//! The cluster's address and one HTTP call to it, with what each failure
//! means.
//!
//! An [`Endpoint`] is the URL given with `--opensearch` (`http` or
//! `https`, an optional path prefix), with basic-auth credentials taken
//! from its userinfo or else from `VIGIE_OPENSEARCH_USER` /
//! `VIGIE_OPENSEARCH_PASSWORD`. Every message shows the URL through
//! [`Endpoint::redacted`], never with its password. A [`Client`] sends JSON
//! or NDJSON bodies with `ureq` (rustls; an extra CA certificate from a PEM
//! file for a cluster with its own CA; no proxy, so loopback stays
//! loopback) and turns the answers into [`RemoteError`]s: a bad URL, a
//! refused connection, a 401/403, a cluster block (flood-stage disk
//! watermark, read-only index) each say what is wrong and what to do.

use std::path::Path;
use std::time::Duration;

use base64::Engine as _;
use serde_json::Value;

/// Variable holding the user name when the URL has none.
pub const USER_VAR: &str = "VIGIE_OPENSEARCH_USER";
/// Variable holding the password when the URL has none.
pub const PASSWORD_VAR: &str = "VIGIE_OPENSEARCH_PASSWORD";
/// Variable naming a PEM file of CA certificates, when `--ca-file` is not given.
pub const CA_VAR: &str = "VIGIE_OPENSEARCH_CA";

/// How many times a request answered 429 (too many requests, not a
/// cluster block) is sent again, waiting 0.5 s, 1 s, 2 s… between tries.
pub const RETRIES_ON_429: u32 = 5;

/// What went wrong talking to the cluster. Every message names the URL
/// without its password.
#[derive(Debug, thiserror::Error)]
pub enum RemoteError {
    /// The `--opensearch` value is not a usable URL.
    #[error(
        "--opensearch {url}: {reason} (expected http[s]://[user:password@]host[:port][/prefix])"
    )]
    BadUrl {
        /// The URL as given, password hidden.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// Nothing answered: connection refused, unknown host, timeout, TLS failure.
    #[error(
        "cannot reach OpenSearch at {url}: {reason}; is the cluster running and the URL right?"
    )]
    Unreachable {
        /// The cluster URL, password hidden.
        url: String,
        /// The connection error.
        reason: String,
    },
    /// 401 or 403: the credentials were refused.
    #[error("OpenSearch at {url} refused the credentials (HTTP {status}); give user:password in the URL or set {USER_VAR} and {PASSWORD_VAR}")]
    Unauthorized {
        /// The cluster URL, password hidden.
        url: String,
        /// 401 or 403.
        status: u16,
    },
    /// The cluster blocks writes (disk past the flood-stage watermark, or
    /// an index made read-only).
    #[error("OpenSearch at {url} blocks writes: {reason}; free disk space on the cluster (the flood-stage watermark) and clear the block (index.blocks.read_only_allow_delete), then push again: what was acknowledged is kept")]
    Blocked {
        /// The cluster URL, password hidden.
        url: String,
        /// The server's reason.
        reason: String,
    },
    /// Any other error answer.
    #[error("OpenSearch at {url} answered HTTP {status} to {what}: {reason}")]
    Server {
        /// The cluster URL, password hidden.
        url: String,
        /// HTTP status.
        status: u16,
        /// The request, e.g. `PUT /vigie`.
        what: String,
        /// The server's reason (its `error.reason`, or the body's start).
        reason: String,
    },
    /// The CA file could not be read or holds no certificate.
    #[error("CA file {path}: {reason}")]
    CaFile {
        /// The file.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// An answer that is not the JSON expected.
    #[error("OpenSearch at {url}: unexpected answer to {what}: {reason}")]
    Protocol {
        /// The cluster URL, password hidden.
        url: String,
        /// The request.
        what: String,
        /// What was wrong with it.
        reason: String,
    },
}

/// A cluster address: scheme, host and port, path prefix, credentials.
#[derive(Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// `http` or `https`.
    pub scheme: String,
    /// `host[:port]`, as given.
    pub authority: String,
    /// Path prefix without trailing slash (`""` or `/opensearch`).
    pub prefix: String,
    /// Basic-auth user, if any.
    pub user: Option<String>,
    /// Basic-auth password, if any (never shown).
    password: Option<String>,
}

impl std::fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl Endpoint {
    /// Reads `url`: `http[s]://[user[:password]@]host[:port][/prefix]`;
    /// user and password may be percent-encoded.
    ///
    /// # Errors
    /// [`RemoteError::BadUrl`] naming what is wrong (scheme, host, port,
    /// a query or fragment), with the password hidden.
    pub fn parse(url: &str) -> Result<Endpoint, RemoteError> {
        let shown = redact_text(url);
        let bad = |reason: &str| RemoteError::BadUrl {
            url: shown.clone(),
            reason: reason.to_string(),
        };
        let url = url.trim();
        let Some((scheme, rest)) = url.split_once("://") else {
            return Err(bad(
                "no scheme: the URL must start with http:// or https://",
            ));
        };
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "http" && scheme != "https" {
            return Err(bad(&format!("scheme {scheme:?} is not http or https")));
        }
        if rest.contains(['?', '#']) {
            return Err(bad("a query string or fragment has no meaning here"));
        }
        let (authority, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        let (userinfo, host_port) = match authority.rfind('@') {
            Some(i) => (Some(&authority[..i]), &authority[i + 1..]),
            None => (None, authority),
        };
        let host = match host_port.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or(""),
            None => host_port.split(':').next().unwrap_or(""),
        };
        if host.is_empty() || host.contains(char::is_whitespace) {
            return Err(bad("no host name"));
        }
        let after_host = if host_port.starts_with('[') {
            host_port.split_once(']').map_or("", |(_, r)| r)
        } else {
            host_port.split_once(':').map_or("", |(_, p)| p)
        };
        let port = after_host.strip_prefix(':').unwrap_or(after_host);
        if !port.is_empty() && port.parse::<u16>().map_or(true, |p| p == 0) {
            return Err(bad(&format!(
                "port {port:?} is not a number from 1 to 65535"
            )));
        }
        let decode = |s: &str| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8()
                .map(|c| c.into_owned())
                .map_err(|_| bad("user or password is not UTF-8 once decoded"))
        };
        let (user, password) = match userinfo {
            None => (None, None),
            Some(info) => match info.split_once(':') {
                Some((u, p)) => (Some(decode(u)?), Some(decode(p)?)),
                None => (Some(decode(info)?), None),
            },
        };
        Ok(Endpoint {
            scheme,
            authority: host_port.to_string(),
            prefix: path.trim_end_matches('/').to_string(),
            user,
            password,
        })
    }

    /// Takes user and password from `user` / `password` (the values of
    /// [`USER_VAR`] and [`PASSWORD_VAR`]) when the URL gave none.
    pub fn with_credentials(mut self, user: Option<String>, password: Option<String>) -> Endpoint {
        if self.user.is_none() {
            self.user = user.filter(|u| !u.is_empty());
            if self.user.is_some() {
                self.password = password;
            }
        }
        self
    }

    /// Takes the credentials from the environment (see [`Endpoint::with_credentials`]).
    pub fn with_env_credentials(self) -> Endpoint {
        let user = std::env::var(USER_VAR).ok();
        let password = std::env::var(PASSWORD_VAR).ok();
        self.with_credentials(user, password)
    }

    /// The URL for messages: the user shown, the password as `***`.
    pub fn redacted(&self) -> String {
        let userinfo = match (&self.user, &self.password) {
            (Some(u), Some(_)) => format!("{u}:***@"),
            (Some(u), None) => format!("{u}@"),
            _ => String::new(),
        };
        format!(
            "{}://{userinfo}{}{}",
            self.scheme, self.authority, self.prefix
        )
    }

    /// The URL of `path` (which starts with `/`), without credentials.
    pub fn url(&self, path: &str) -> String {
        format!("{}://{}{}{path}", self.scheme, self.authority, self.prefix)
    }

    /// The `Authorization` header value, when there is a user.
    fn authorization(&self) -> Option<String> {
        let user = self.user.as_ref()?;
        let pair = format!("{user}:{}", self.password.as_deref().unwrap_or(""));
        Some(format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(pair)
        ))
    }
}

/// `text` with the password of a URL's userinfo replaced by `***` (for
/// showing a URL that could not be parsed).
pub fn redact_text(text: &str) -> String {
    let Some((scheme, rest)) = text.split_once("://") else {
        return text.to_string();
    };
    let end = rest.find('/').unwrap_or(rest.len());
    let authority = &rest[..end];
    match authority.rfind('@') {
        Some(at) => {
            let info = &authority[..at];
            let user = info.split_once(':').map_or(info, |(u, _)| u);
            let hidden = if info.contains(':') {
                format!("{user}:***")
            } else {
                user.to_string()
            };
            format!(
                "{scheme}://{hidden}@{}{}",
                &authority[at + 1..],
                &rest[end..]
            )
        }
        None => text.to_string(),
    }
}

/// An answer: HTTP status and JSON body (`Value::Null` when empty).
#[derive(Debug, Clone)]
pub struct Answer {
    /// HTTP status (2xx, or 404 for requests that allow it).
    pub status: u16,
    /// The body as JSON.
    pub body: Value,
}

/// An HTTP client for one cluster.
pub struct Client {
    endpoint: Endpoint,
    agent: ureq::Agent,
}

/// Most bytes of an answer read (a search page of large paragraphs, the
/// items of a bulk request).
const MAX_ANSWER_BYTES: u64 = 512 << 20;

impl Client {
    /// A client for `endpoint`, trusting the certificates of `ca_file`
    /// (PEM) besides the usual roots when given. Timeouts: 10 s to
    /// connect, 120 s for a whole call.
    ///
    /// # Errors
    /// [`RemoteError::CaFile`] when the file cannot be read or holds no
    /// certificate.
    pub fn new(endpoint: Endpoint, ca_file: Option<&Path>) -> Result<Client, RemoteError> {
        let mut config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .proxy(None)
            .timeout_connect(Some(Duration::from_secs(10)))
            .timeout_global(Some(Duration::from_secs(120)));
        if let Some(path) = ca_file {
            let shown = path.display().to_string();
            let pem = std::fs::read(path).map_err(|e| RemoteError::CaFile {
                path: shown.clone(),
                reason: e.to_string(),
            })?;
            let certs: Vec<ureq::tls::Certificate<'static>> = ureq::tls::parse_pem(&pem)
                .filter_map(|item| match item {
                    Ok(ureq::tls::PemItem::Certificate(c)) => Some(c),
                    _ => None,
                })
                .collect();
            if certs.is_empty() {
                return Err(RemoteError::CaFile {
                    path: shown,
                    reason: "no PEM certificate in it".to_string(),
                });
            }
            config = config.tls_config(
                ureq::tls::TlsConfig::builder()
                    .root_certs(ureq::tls::RootCerts::new_with_certs(&certs))
                    .build(),
            );
        }
        Ok(Client {
            endpoint,
            agent: config.build().into(),
        })
    }

    /// The cluster's address.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// Sends `method path` with an optional body (`content_type`, bytes)
    /// and reads the JSON answer. A 429 that is not a cluster block is
    /// retried ([`RETRIES_ON_429`]). `allow_404` lets a 404 through as an
    /// [`Answer`] (an index that does not exist yet).
    ///
    /// # Errors
    /// [`RemoteError::Unreachable`], [`RemoteError::Unauthorized`],
    /// [`RemoteError::Blocked`], [`RemoteError::Server`] (other statuses),
    /// [`RemoteError::Protocol`] (an answer that is not JSON).
    pub fn call(
        &self,
        method: &str,
        path: &str,
        body: Option<(&str, &[u8])>,
        allow_404: bool,
    ) -> Result<Answer, RemoteError> {
        let what = format!("{method} {}{path}", self.endpoint.prefix);
        let url = self.endpoint.url(path);
        let mut wait = Duration::from_millis(500);
        let mut attempt = 0;
        loop {
            let (status, text) = self.send(method, &url, body)?;
            let json: Value = if text.trim().is_empty() {
                Value::Null
            } else {
                serde_json::from_str(&text).map_err(|e| RemoteError::Protocol {
                    url: self.endpoint.redacted(),
                    what: what.clone(),
                    reason: format!("not JSON ({e}): {}", head(&text)),
                })?
            };
            if (200..300).contains(&status) || (status == 404 && allow_404) {
                return Ok(Answer { status, body: json });
            }
            if let Some(reason) = block_reason(&json) {
                return Err(RemoteError::Blocked {
                    url: self.endpoint.redacted(),
                    reason,
                });
            }
            if status == 401 || status == 403 {
                return Err(RemoteError::Unauthorized {
                    url: self.endpoint.redacted(),
                    status,
                });
            }
            if status == 429 && attempt < RETRIES_ON_429 {
                std::thread::sleep(wait);
                wait *= 2;
                attempt += 1;
                continue;
            }
            return Err(RemoteError::Server {
                url: self.endpoint.redacted(),
                status,
                what,
                reason: error_reason(&json).unwrap_or_else(|| head(&text)),
            });
        }
    }

    /// [`Client::call`] with a JSON body.
    ///
    /// # Errors
    /// As [`Client::call`].
    pub fn json(
        &self,
        method: &str,
        path: &str,
        body: &Value,
        allow_404: bool,
    ) -> Result<Answer, RemoteError> {
        let bytes = serde_json::to_vec(body).unwrap_or_default();
        self.call(method, path, Some(("application/json", &bytes)), allow_404)
    }

    /// [`Client::call`] with an NDJSON body (`_bulk`, `_msearch`): one
    /// JSON value a line.
    ///
    /// # Errors
    /// As [`Client::call`].
    pub fn ndjson(
        &self,
        method: &str,
        path: &str,
        lines: &[Value],
        allow_404: bool,
    ) -> Result<Answer, RemoteError> {
        self.call(
            method,
            path,
            Some(("application/x-ndjson", &ndjson_lines(lines))),
            allow_404,
        )
    }

    /// One HTTP exchange: the status and the body text.
    fn send(
        &self,
        method: &str,
        url: &str,
        body: Option<(&str, &[u8])>,
    ) -> Result<(u16, String), RemoteError> {
        let unreachable = |e: ureq::Error| match e {
            ureq::Error::BadUri(reason) => RemoteError::BadUrl {
                url: self.endpoint.redacted(),
                reason,
            },
            other => RemoteError::Unreachable {
                url: self.endpoint.redacted(),
                reason: other.to_string(),
            },
        };
        let auth = self.endpoint.authorization();
        let response = match (method, body) {
            ("GET", None) | ("DELETE", None) | ("HEAD", None) => {
                let mut req = match method {
                    "GET" => self.agent.get(url),
                    "HEAD" => self.agent.head(url),
                    _ => self.agent.delete(url),
                };
                if let Some(a) = &auth {
                    req = req.header("Authorization", a);
                }
                req.call()
            }
            (_, body) => {
                let (content_type, bytes) = body.unwrap_or(("application/json", b""));
                let mut req = match method {
                    "PUT" => self.agent.put(url),
                    _ => self.agent.post(url),
                };
                if let Some(a) = &auth {
                    req = req.header("Authorization", a);
                }
                req.header("Content-Type", content_type).send(bytes)
            }
        }
        .map_err(unreachable)?;
        let status = response.status().as_u16();
        let mut response = response;
        let text = response
            .body_mut()
            .with_config()
            .limit(MAX_ANSWER_BYTES)
            .read_to_string()
            .map_err(unreachable)?;
        Ok((status, text))
    }
}

/// The first 300 characters of `text`, on one line.
fn head(text: &str) -> String {
    let t: String = text.chars().take(300).collect();
    t.replace(['\n', '\r'], " ")
}

/// An NDJSON body: each of `lines` as compact JSON, each followed by a
/// newline (as `_bulk` and `_msearch` want, the last line too).
pub fn ndjson_lines(lines: &[Value]) -> Vec<u8> {
    let mut body = Vec::new();
    for line in lines {
        body.extend_from_slice(line.to_string().as_bytes());
        body.push(b'\n');
    }
    body
}

/// `error.reason` (with its type) of an OpenSearch error answer.
pub fn error_reason(json: &Value) -> Option<String> {
    let error = json.get("error")?;
    if let Some(s) = error.as_str() {
        return Some(s.to_string());
    }
    let kind = error.get("type").and_then(Value::as_str).unwrap_or("error");
    let reason = error
        .get("reason")
        .and_then(Value::as_str)
        .unwrap_or("(no reason given)");
    Some(format!("{kind}: {reason}"))
}

/// The reason of a `cluster_block_exception` (flood stage, read-only
/// index), in an error answer or a bulk item's `error`.
pub fn block_reason(json: &Value) -> Option<String> {
    let error = json.get("error").unwrap_or(json);
    let is_block =
        |e: &Value| e.get("type").and_then(Value::as_str) == Some("cluster_block_exception");
    if is_block(error) {
        return error
            .get("reason")
            .and_then(Value::as_str)
            .map(str::to_string);
    }
    error
        .get("root_cause")
        .and_then(Value::as_array)
        .and_then(|causes| causes.iter().find(|c| is_block(c)))
        .and_then(|c| c.get("reason").and_then(Value::as_str))
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_with_and_without_credentials() {
        let e = Endpoint::parse("https://alice:s%40cret@search.example:9201/os/").unwrap();
        assert_eq!(e.scheme, "https");
        assert_eq!(e.authority, "search.example:9201");
        assert_eq!(e.prefix, "/os");
        assert_eq!(e.user.as_deref(), Some("alice"));
        assert_eq!(e.redacted(), "https://alice:***@search.example:9201/os");
        assert_eq!(e.url("/_bulk"), "https://search.example:9201/os/_bulk");
        assert!(!format!("{e:?}").contains("s@cret"));
        // "alice:s@cret" in base64.
        assert_eq!(e.authorization().unwrap(), "Basic YWxpY2U6c0BjcmV0");
        let plain = Endpoint::parse("http://127.0.0.1:9200").unwrap();
        assert_eq!(plain.user, None);
        assert_eq!(plain.authorization(), None);
        let v6 = Endpoint::parse("http://[::1]:9200").unwrap();
        assert_eq!(v6.authority, "[::1]:9200");
    }

    #[test]
    fn bad_urls_say_why_and_hide_the_password() {
        for (url, why) in [
            ("127.0.0.1:9200", "no scheme"),
            ("ftp://host", "not http or https"),
            ("http://:9200", "no host"),
            ("http://bob:hunter2@host:99999", "port"),
            ("http://host:abc", "port"),
            ("http://host/?q=1", "query string"),
        ] {
            let e = Endpoint::parse(url).unwrap_err().to_string();
            assert!(e.contains(why), "{url}: {e}");
            assert!(!e.contains("hunter2"), "{url}: {e}");
        }
    }

    #[test]
    fn credentials_from_the_environment_only_when_the_url_has_none() {
        let e = Endpoint::parse("http://host:9200")
            .unwrap()
            .with_credentials(Some("carol".into()), Some("pw".into()));
        assert_eq!(e.redacted(), "http://carol:***@host:9200");
        let e = Endpoint::parse("http://dave:x@host")
            .unwrap()
            .with_credentials(Some("carol".into()), Some("pw".into()));
        assert_eq!(e.user.as_deref(), Some("dave"));
    }

    #[test]
    fn redacting_text_that_is_not_a_url() {
        assert_eq!(redact_text("ftp://u:p@h/x"), "ftp://u:***@h/x");
        assert_eq!(redact_text("no url"), "no url");
    }

    #[test]
    fn block_reasons_are_found_at_top_level_and_in_root_causes() {
        let flood = serde_json::json!({"error": {"root_cause": [{"type": "cluster_block_exception",
            "reason": "index [v] blocked by: [TOO_MANY_REQUESTS/12/disk usage exceeded flood-stage watermark, index has read-only-allow-delete block];"}],
            "type": "cluster_block_exception", "reason": "index [v] blocked by: [TOO_MANY_REQUESTS/12/disk usage exceeded flood-stage watermark, index has read-only-allow-delete block];"}, "status": 429});
        assert!(block_reason(&flood).unwrap().contains("flood-stage"));
        let item = serde_json::json!({"type": "cluster_block_exception", "reason": "blocked"});
        assert_eq!(block_reason(&item).as_deref(), Some("blocked"));
        let other =
            serde_json::json!({"error": {"type": "mapper_parsing_exception", "reason": "bad"}});
        assert_eq!(block_reason(&other), None);
        assert_eq!(
            error_reason(&other).as_deref(),
            Some("mapper_parsing_exception: bad")
        );
    }
}
