//! The webhooks a call requests: where to, with which fields, signed as Twilio signs them.

use std::time::{Duration, Instant};

use super::twiml_reader::{Step, parse_twiml};
use super::{Call, CallError, CallerConfig, Exchange, STATUS_PATH};
use crate::telephony::signature::compute_signature;
use crate::telephony::twiml::Method;

/// A webhook to request: a location relative to a base, and extra form fields.
pub(super) struct Request {
    pub(super) location: Location,
    pub(super) method: Method,
    pub(super) fields: Vec<(String, String)>,
}

/// `origin` is `None` for Frontdesk itself (requested at `server`, signed with `public_url`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Location {
    pub(super) origin: Option<String>,
    pub(super) path_and_query: String,
}

impl Call<'_> {
    pub(super) fn signed_url(&self, location: &Location) -> String {
        let base = location
            .origin
            .as_deref()
            .unwrap_or(&self.config.public_url);
        format!("{}{}", base.trim_end_matches('/'), location.path_and_query)
    }

    fn request_url(&self, location: &Location) -> String {
        let base = location.origin.as_deref().unwrap_or(&self.config.server);
        format!("{}{}", base.trim_end_matches('/'), location.path_and_query)
    }

    /// The fields Twilio sends on every voice webhook, then `extra`.
    fn form(&self, extra: Vec<(String, String)>) -> Vec<(String, String)> {
        let config = self.config;
        let status = if self.answered_at.is_some() {
            "in-progress"
        } else {
            "ringing"
        };
        let mut form: Vec<(String, String)> = [
            ("CallSid", config.call_sid.as_str()),
            ("AccountSid", &config.account_sid),
            ("From", &config.from),
            ("To", &config.to),
            ("Caller", &config.from),
            ("Called", &config.to),
            ("CallStatus", status),
            ("Direction", "inbound"),
            ("ApiVersion", "2010-04-01"),
        ]
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect();
        form.extend(extra);
        form
    }

    /// Sends one signed webhook and returns the response status and body.
    async fn send(
        &mut self,
        request: Request,
        fields: Vec<(String, String)>,
    ) -> Result<(String, reqwest::Response, Duration), CallError> {
        let mut signed_url = self.signed_url(&request.location);
        let mut request_url = self.request_url(&request.location);
        let encoded = serde_urlencoded::to_string(&fields).map_err(|source| CallError::Encode {
            url: signed_url.clone(),
            source,
        })?;
        let token = self.config.auth_token.as_bytes();
        let builder = match request.method {
            Method::Post => {
                let signature = compute_signature(&signed_url, &fields, token);
                self.client
                    .post(&request_url)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("X-Twilio-Signature", signature)
                    .body(encoded)
            }
            Method::Get => {
                // GET carries the fields in the query; only the URL is signed.
                let separator = if signed_url.contains('?') { '&' } else { '?' };
                signed_url = format!("{signed_url}{separator}{encoded}");
                request_url = format!("{request_url}{separator}{encoded}");
                let signature = compute_signature(&signed_url, &[], token);
                self.client
                    .get(&request_url)
                    .header("X-Twilio-Signature", signature)
            }
        };
        let started = Instant::now();
        let response = builder
            .header("User-Agent", "TwilioProxy/1.1")
            .send()
            .await
            .map_err(|source| CallError::Request {
                url: request_url.clone(),
                source,
            })?;
        let latency = started.elapsed();
        self.exchanges.push(Exchange {
            method: request.method,
            url: signed_url,
            params: fields,
            status: response.status().as_u16(),
            latency,
        });
        Ok((request_url, response, latency))
    }

    pub(super) async fn fetch_twiml(
        &mut self,
        mut request: Request,
    ) -> Result<(Vec<Step>, Duration), CallError> {
        let fields = self.form(std::mem::take(&mut request.fields));
        let (url, response, latency) = self.send(request, fields).await?;
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let body = response.text().await.map_err(|source| CallError::Request {
            url: url.clone(),
            source,
        })?;
        if !(200..300).contains(&status) {
            return Err(CallError::Status {
                url,
                status,
                body: body.chars().take(200).collect(),
            });
        }
        let mime = content_type.split(';').next().unwrap_or("").trim();
        if !["text/xml", "application/xml", "text/html"]
            .iter()
            .any(|accepted| mime.eq_ignore_ascii_case(accepted))
        {
            return Err(CallError::ContentType {
                url,
                status,
                content_type,
            });
        }
        let steps = parse_twiml(&url, status, &body)?;
        Ok((steps, latency))
    }

    pub(super) async fn send_status(&mut self, call_status: &str) -> Result<(), CallError> {
        let duration = self
            .answered_at
            .map_or(0, |answered| answered.elapsed().as_secs_f64().ceil() as u64);
        let mut fields = self.form(Vec::new());
        for (name, value) in &mut fields {
            if name == "CallStatus" {
                *value = call_status.to_owned();
            }
        }
        fields.extend([
            ("CallDuration".to_owned(), duration.to_string()),
            (
                "CallbackSource".to_owned(),
                "call-progress-events".to_owned(),
            ),
            ("SequenceNumber".to_owned(), "0".to_owned()),
        ]);
        let request = Request {
            location: Location {
                origin: None,
                path_and_query: STATUS_PATH.to_owned(),
            },
            method: Method::Post,
            fields: Vec::new(),
        };
        let (url, response, _) = self.send(request, fields).await?;
        let status = response.status().as_u16();
        if !(200..300).contains(&status) {
            let body = response.text().await.unwrap_or_default();
            return Err(CallError::Status {
                url,
                status,
                body: body.chars().take(200).collect(),
            });
        }
        Ok(())
    }
}

/// Resolves a TwiML URL against the document it came from, as Twilio does. Fragments are
/// dropped.
pub(super) fn resolve(current: &Location, target: &str, config: &CallerConfig) -> Location {
    let target = target.split('#').next().unwrap_or("").trim();
    if target.is_empty() {
        return current.clone();
    }
    if let Some(scheme_end) = target.find("://") {
        for base in [&config.public_url, &config.server] {
            let base = base.trim_end_matches('/');
            let under_base = target
                .strip_prefix(base)
                .filter(|rest| rest.is_empty() || rest.starts_with(['/', '?']));
            if let Some(rest) = under_base {
                return Location {
                    origin: None,
                    path_and_query: with_leading_slash(rest),
                };
            }
        }
        let authority_end = target[scheme_end + 3..]
            .find(['/', '?'])
            .map_or(target.len(), |offset| scheme_end + 3 + offset);
        return Location {
            origin: Some(target[..authority_end].to_owned()),
            path_and_query: with_leading_slash(&target[authority_end..]),
        };
    }
    if target.starts_with('/') && current.origin.is_none() {
        // Absolute paths resolve against the host, as Twilio resolves them:
        // under a public URL with a path prefix they leave Frontdesk.
        let base = config.public_url.trim_end_matches('/');
        let host_end = base
            .find("://")
            .and_then(|scheme| base[scheme + 3..].find('/').map(|slash| scheme + 3 + slash))
            .unwrap_or(base.len());
        return resolve(current, &format!("{}{target}", &base[..host_end]), config);
    }
    let current_path = current.path_and_query.split('?').next().unwrap_or("/");
    let path_and_query = if target.starts_with('/') {
        target.to_owned()
    } else if target.starts_with('?') {
        format!("{current_path}{target}")
    } else {
        let directory = &current_path[..current_path.rfind('/').map_or(0, |slash| slash + 1)];
        with_leading_slash(&format!("{directory}{target}"))
    };
    Location {
        origin: current.origin.clone(),
        path_and_query,
    }
}

fn with_leading_slash(path: &str) -> String {
    if path.starts_with('/') {
        path.to_owned()
    } else {
        format!("/{path}")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    const TOKEN: &str = "test-auth-token";

    fn local(path_and_query: &str) -> Location {
        Location {
            origin: None,
            path_and_query: path_and_query.to_owned(),
        }
    }

    #[test]
    fn urls_resolve_against_the_current_document_like_twilio() {
        let config = CallerConfig::new("http://127.0.0.1:8080/", TOKEN, "a", "b");
        let config = CallerConfig {
            public_url: "https://fd.example.com".into(),
            ..config
        };
        let here = local("/twilio/gather?turn=3");
        let cases = [
            ("", local("/twilio/gather?turn=3")),
            ("/twilio/voice", local("/twilio/voice")),
            ("?silence=1", local("/twilio/gather?silence=1")),
            ("dial-result#rt=5000", local("/twilio/dial-result")),
            (
                "https://fd.example.com/twilio/x?y=1",
                local("/twilio/x?y=1"),
            ),
            ("http://127.0.0.1:8080/twilio/z", local("/twilio/z")),
            ("https://fd.example.com", local("/")),
            (
                "https://other.example.com/hook?a=1",
                Location {
                    origin: Some("https://other.example.com".into()),
                    path_and_query: "/hook?a=1".into(),
                },
            ),
            (
                "https://fd.example.com.evil.test/hook",
                Location {
                    origin: Some("https://fd.example.com.evil.test".into()),
                    path_and_query: "/hook".into(),
                },
            ),
        ];
        for (target, expected) in cases {
            assert_eq!(resolve(&here, target, &config), expected, "{target:?}");
        }
    }

    #[test]
    fn under_a_path_prefix_relative_urls_stay_inside_and_absolute_paths_leave() {
        let config = CallerConfig::new("http://127.0.0.1:8080/", TOKEN, "a", "b");
        let config = CallerConfig {
            public_url: "https://fd.example.com/frontdesk".into(),
            ..config
        };
        let here = local("/twilio/voice");
        assert_eq!(
            resolve(&here, "gather?turn=1", &config),
            local("/twilio/gather?turn=1")
        );
        assert_eq!(
            resolve(&here, "/twilio/gather?turn=1", &config),
            Location {
                origin: Some("https://fd.example.com".into()),
                path_and_query: "/twilio/gather?turn=1".into(),
            }
        );
    }
}
