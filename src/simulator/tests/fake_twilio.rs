//! A stand-in for Frontdesk's webhook endpoints: canned TwiML by path, real signature checks.

use crate::simulator::{CallerConfig, STATUS_PATH};
use crate::telephony::signature::validate;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pub(super) const TOKEN: &str = "test-auth-token";
pub(super) const PUBLIC_URL: &str = "https://frontdesk.example.com";

/// What the fake server received: path and query, then the form fields.
pub(super) type Received = Arc<Mutex<Vec<(String, Vec<(String, String)>)>>>;

struct FakeTwilioApp {
    routes: HashMap<String, (String, String)>,
    received: Received,
}

/// Answers canned TwiML by path and query, after checking the signature as Frontdesk would.
async fn answer(
    request: HttpRequest,
    body: web::Bytes,
    app: web::Data<FakeTwilioApp>,
) -> HttpResponse {
    let path_and_query = request
        .uri()
        .path_and_query()
        .map(|pq| pq.as_str().to_owned())
        .unwrap_or_default();
    let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).unwrap();
    let signature = request
        .headers()
        .get("X-Twilio-Signature")
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    let url = format!("{PUBLIC_URL}{path_and_query}");
    if !validate(&url, &fields, TOKEN.as_bytes(), signature) {
        return HttpResponse::Forbidden().body("bad signature");
    }
    let path = path_and_query.split('?').next().unwrap_or("").to_owned();
    app.received
        .lock()
        .unwrap()
        .push((path_and_query.clone(), fields));
    if path == STATUS_PATH {
        return HttpResponse::NoContent().finish();
    }
    match app.routes.get(&path_and_query) {
        Some((content_type, body)) => HttpResponse::Ok()
            .content_type(content_type.as_str())
            .body(body.clone()),
        None => HttpResponse::NotFound().body("no such route"),
    }
}

/// Starts the fake server on a free port; returns its base URL and what it receives.
pub(super) fn fake_server(routes: &[(&str, &str)]) -> (String, Received) {
    fake_server_with_types(
        &routes
            .iter()
            .map(|(path, body)| (*path, "text/xml; charset=utf-8", *body))
            .collect::<Vec<_>>(),
    )
}

pub(super) fn fake_server_with_types(routes: &[(&str, &str, &str)]) -> (String, Received) {
    let received = Received::default();
    let app = web::Data::new(FakeTwilioApp {
        routes: routes
            .iter()
            .map(|(path, content_type, body)| {
                (
                    (*path).to_owned(),
                    ((*content_type).to_owned(), (*body).to_owned()),
                )
            })
            .collect(),
        received: received.clone(),
    });
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = HttpServer::new(move || {
        App::new()
            .app_data(app.clone())
            .default_service(web::to(answer))
    })
    .workers(1)
    .listen(listener)
    .unwrap()
    .run();
    tokio::spawn(server);
    (format!("http://127.0.0.1:{port}"), received)
}

pub(super) fn config(server: &str) -> CallerConfig {
    CallerConfig {
        public_url: PUBLIC_URL.to_owned(),
        ..CallerConfig::new(server, TOKEN, "+15551230000", "+15559870000")
    }
}

pub(super) fn twiml(verbs: &str) -> String {
    format!(r#"<?xml version="1.0" encoding="UTF-8"?><Response>{verbs}</Response>"#)
}

pub(super) fn paths(received: &Received) -> Vec<String> {
    received
        .lock()
        .unwrap()
        .iter()
        .map(|(path, _)| path.clone())
        .collect()
}
