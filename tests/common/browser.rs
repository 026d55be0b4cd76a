//! A real browser for the end-to-end tests: Debian's headless Chromium,
//! driven over WebDriver (fantoccini) through a `chromedriver` started here
//! on a free port and stopped when dropped.
//!
//! Missing `chromedriver` fails the test with what to install (`chromium`
//! and `chromium-driver`; `.ci/run` installs them), so CI never skips the
//! browser silently. `FRONTDESK_SKIP_BROWSER_TESTS=1` skips it on purpose,
//! for a machine without a browser.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

use super::{TestApp, TestBackend};

pub const SKIP_VARIABLE: &str = "FRONTDESK_SKIP_BROWSER_TESTS";

/// How long a page may take to show what a step waits for.
const PATIENCE: Duration = Duration::from_secs(5);

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .unwrap()
}

/// The app on SQLite whose public URL is its own plain-HTTP address, so its
/// session cookie is not `Secure` and the browser sends it back (the usual
/// test app claims an https public URL).
pub async fn app_at_its_own_address() -> TestApp {
    let port = free_port();
    let bind = format!("127.0.0.1:{port}");
    let public_url = format!("http://{bind}");
    TestApp::spawn_with(
        TestBackend::Sqlite,
        &[
            ("FRONTDESK_BIND", &bind),
            ("FRONTDESK_PUBLIC_URL", &public_url),
        ],
    )
    .await
}

/// A running `chromedriver`, killed when dropped.
pub struct Chromedriver {
    child: Child,
    url: String,
}

impl Chromedriver {
    /// Starts `chromedriver`; `None` when the browser tests are skipped on
    /// purpose. Panics, saying what to install, when it is missing.
    pub async fn start() -> Option<Chromedriver> {
        if std::env::var(SKIP_VARIABLE).is_ok_and(|v| v == "1") {
            eprintln!("{SKIP_VARIABLE}=1: the browser test is skipped");
            return None;
        }
        let port = free_port();
        let child = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot start chromedriver ({e}): the browser test needs Debian's \
                     `chromium` and `chromium-driver` (apt-get install chromium chromium-driver; \
                     .ci/run installs them), or set {SKIP_VARIABLE}=1 to skip it"
                )
            });
        let driver = Chromedriver {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        driver.wait_until_ready().await;
        Some(driver)
    }

    async fn wait_until_ready(&self) {
        let started = Instant::now();
        let http = frontdesk::http::client_builder().build().unwrap();
        while started.elapsed() < PATIENCE {
            let status = http.get(format!("{}/status", self.url)).send().await;
            if status.is_ok_and(|s| s.status().is_success()) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "chromedriver did not answer at {} within {PATIENCE:?}",
            self.url
        );
    }

    /// A new headless Chromium window.
    pub async fn open(&self, app: &TestApp) -> BrowserWindow {
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("browserName".to_owned(), json!("chrome"));
        capabilities.insert(
            "goog:chromeOptions".to_owned(),
            json!({ "args": [
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-dev-shm-usage",
                "--window-size=1280,900",
            ]}),
        );
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&self.url)
            .await
            .unwrap_or_else(|e| panic!("chromedriver could not start Chromium: {e}"));
        BrowserWindow {
            client,
            base: app.address.clone(),
        }
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One browser window on the app.
#[derive(Clone)]
pub struct BrowserWindow {
    pub client: Client,
    /// The app's address, `http://127.0.0.1:PORT`.
    pub base: String,
}

impl BrowserWindow {
    /// Runs `steps` with this window, then closes Chromium whether they
    /// passed or not (a panic is passed on after).
    pub async fn drive<F, Fut>(self, steps: F)
    where
        F: FnOnce(BrowserWindow) -> Fut,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let outcome = tokio::spawn(steps(self.clone())).await;
        let _ = self.client.close().await;
        if let Err(failure) = outcome {
            std::panic::resume_unwind(failure.into_panic());
        }
    }

    pub async fn visit(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .unwrap_or_else(|e| panic!("opening {path}: {e}"));
    }

    /// The current path and query, e.g. `/login?next=%2F`.
    pub async fn location(&self) -> String {
        let url = self.client.current_url().await.unwrap();
        match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_owned(),
        }
    }

    /// Waits until the browser is on `path` (any query).
    pub async fn wait_for_path(&self, path: &str) {
        let started = Instant::now();
        loop {
            let location = self.location().await;
            if location.split('?').next() == Some(path) {
                return;
            }
            if started.elapsed() > PATIENCE {
                panic!("the browser stayed on {location}, expected {path}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The first element matching `css`, waiting for it to appear.
    pub async fn element(&self, css: &str) -> Element {
        match self
            .client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css(css))
            .await
        {
            Ok(element) => element,
            Err(e) => {
                let location = self.location().await;
                let title = self.client.title().await.unwrap_or_default();
                panic!("no `{css}` on {location} (\"{title}\"): {e}")
            }
        }
    }

    /// Follows the link or presses the button matching `css`.
    pub async fn click(&self, css: &str) {
        self.element(css)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("clicking `{css}`: {e}"));
    }

    /// Types `text` into the field matching `css`.
    pub async fn type_into(&self, css: &str, text: &str) {
        self.element(css)
            .await
            .send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("typing into `{css}`: {e}"));
    }

    /// The visible text of the element matching `css`.
    pub async fn text(&self, css: &str) -> String {
        self.element(css).await.text().await.unwrap()
    }

    /// Fetches `path` from the page with the browser's own cookies, as a
    /// download would, and returns the body.
    pub async fn fetch_text(&self, path: &str) -> String {
        let script = "return fetch(arguments[0], { credentials: 'same-origin' }) \
                      .then(r => r.ok ? r.text() : Promise.reject(new Error('HTTP ' + r.status)));";
        let body = self
            .client
            .execute(script, vec![json!(path)])
            .await
            .unwrap_or_else(|e| panic!("fetching {path} in the page: {e}"));
        body.as_str()
            .unwrap_or_else(|| panic!("fetching {path} gave {body}"))
            .to_owned()
    }
}
