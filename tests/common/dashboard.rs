//! Dashboard helpers: a `Browser` that keeps its session cookie and sends an
//! `Origin` like a real one, and a `SignedInClient` that signed in over HTTP
//! exactly as a person does and adds the CSRF token to every form it posts.
//!
//! The cookie is kept by hand, not by a cookie store: the test app's public
//! URL is https, so its cookie is `Secure`, which a store would never send
//! to the plain-HTTP test address.

use frontdesk::ids::{TenantId, UserId};
use frontdesk::users::{Role, User, password};
use reqwest::StatusCode;
use reqwest::header::{self, HeaderMap};

use super::TestApp;

pub const COOKIE: &str = "frontdesk_session";

/// One answer, read in full.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Answer {
    pub fn location(&self) -> Option<&str> {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The `csrf_token` hidden field of the page's first form.
    pub fn csrf_token(&self) -> Option<String> {
        let at = self.body.find("name=\"csrf_token\" value=\"")?;
        let rest = &self.body[at + "name=\"csrf_token\" value=\"".len()..];
        Some(rest[..rest.find('"')?].to_owned())
    }
}

/// A client that behaves like a browser: one session cookie, sent back on
/// every request and replaced when the server sets a new one.
#[derive(Clone)]
pub struct Browser {
    pub http: reqwest::Client,
    pub address: String,
    /// The session cookie's value, as the server last set it.
    pub cookie: Option<String>,
    /// Sent as `Origin` with every POST (`None`: no Origin header).
    pub origin: Option<String>,
}

impl Browser {
    pub fn new(app: &TestApp) -> Browser {
        Browser {
            http: app.http.clone(),
            address: app.address.clone(),
            cookie: None,
            origin: Some(app.address.clone()),
        }
    }

    async fn read(&mut self, response: reqwest::Response) -> Answer {
        let status = response.status();
        let headers = response.headers().clone();
        for set in headers.get_all(header::SET_COOKIE) {
            let set = set.to_str().unwrap();
            let Some(rest) = set.strip_prefix(&format!("{COOKIE}=")) else {
                continue;
            };
            let value = rest.split(';').next().unwrap_or("");
            let removed = value.is_empty() || set.contains("Max-Age=0");
            self.cookie = (!removed).then(|| value.to_owned());
        }
        let body = response.text().await.unwrap();
        Answer {
            status,
            headers,
            body,
        }
    }

    fn with_cookie(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match &self.cookie {
            Some(value) => request.header(header::COOKIE, format!("{COOKIE}={value}")),
            None => request,
        }
    }

    pub async fn get(&mut self, path: &str) -> Answer {
        let request = self.with_cookie(self.http.get(format!("{}{path}", self.address)));
        let response = request.send().await.unwrap();
        self.read(response).await
    }

    /// Posts exactly these fields (no token added).
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Answer {
        self.post_with(path, fields, &[]).await
    }

    pub async fn post_with(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> Answer {
        let mut request = self
            .with_cookie(self.http.post(format!("{}{path}", self.address)))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(serde_urlencoded::to_string(fields).unwrap());
        if let Some(origin) = &self.origin {
            request = request.header(header::ORIGIN, origin);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.unwrap();
        self.read(response).await
    }

    /// Opens the sign-in form and submits it, as a person would.
    pub async fn try_sign_in(&mut self, email: &str, password: &str) -> Answer {
        self.try_sign_in_with(email, password, &[]).await
    }

    pub async fn try_sign_in_with(
        &mut self,
        email: &str,
        password: &str,
        headers: &[(&str, &str)],
    ) -> Answer {
        let form = self.get("/login").await;
        assert_eq!(form.status, StatusCode::OK, "{}", form.body);
        let token = form
            .csrf_token()
            .expect("the sign-in form has a CSRF token");
        self.post_with(
            "/login",
            &[
                ("csrf_token", &token),
                ("email", email),
                ("password", password),
            ],
            headers,
        )
        .await
    }
}

/// A browser that is signed in, with the CSRF token of its session.
#[derive(Clone)]
pub struct SignedInClient {
    pub browser: Browser,
    pub csrf_token: String,
}

impl SignedInClient {
    pub async fn get(&mut self, path: &str) -> Answer {
        self.browser.get(path).await
    }

    /// Posts the fields plus the session's `csrf_token`.
    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Answer {
        let token = self.csrf_token.clone();
        let mut all = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        self.browser.post(path, &all).await
    }
}

impl TestApp {
    pub fn browser(&self) -> Browser {
        Browser::new(self)
    }

    /// Signs in over HTTP; panics unless it works.
    pub async fn sign_in(&self, email: &str, password: &str) -> SignedInClient {
        let mut browser = self.browser();
        let answer = browser.try_sign_in(email, password).await;
        assert_eq!(
            answer.status,
            StatusCode::SEE_OTHER,
            "signing in as {email} failed: {}",
            answer.body
        );
        let account = browser.get("/account").await;
        assert_eq!(account.status, StatusCode::OK, "{}", account.body);
        let csrf_token = account.csrf_token().expect("signed-in pages carry a token");
        SignedInClient {
            browser,
            csrf_token,
        }
    }

    /// Creates a user with this password.
    pub async fn create_user(
        &self,
        email: &str,
        password: &str,
        role: Role,
        tenant: Option<TenantId>,
    ) -> UserId {
        let (email, hash) = (email.to_owned(), password::hash(password).unwrap());
        self.with_conn(move |conn| User::create(conn, &email, &hash, role, tenant).unwrap())
            .await
    }
}
