//! The application: shared state, the one route table, and the server.

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;

use actix_web::cookie::Key;
use actix_web::dev::Server;
use actix_web::{App, HttpServer, middleware, web};

use crate::ai::Brain;
use crate::calls::cache::ActiveCalls;
use crate::config::{Config, Secret};
use crate::db::DbPool;
use crate::receptionist::AdmissionQueues;
use crate::receptionist::in_flight::TurnsInFlight;
use crate::settings;
use crate::telephony::webhooks;
use crate::tenants::directory::TenantDirectory;
use crate::web::{health, request_log};

/// Everything a request handler may use; built once at start-up.
pub struct AppState {
    pub config: Arc<Config>,
    pub db: DbPool,
    /// Checks webhooks of tenants without their own token: `TWILIO_AUTH_TOKEN`,
    /// else a development token generated once and kept in the database.
    pub default_twilio_token: Secret,
    /// Shared with database work that needs it inside a transaction.
    pub directory: Arc<TenantDirectory>,
    /// Understands callers; the rules brain unless an LLM is configured.
    pub brain: Arc<dyn Brain>,
    pub active_calls: ActiveCalls,
    /// Each tenant's call admissions, one at a time on this instance.
    pub admissions: AdmissionQueues,
    /// Encrypts dashboard session cookies (see `web::session::cookie_key`).
    pub session_key: Key,
    /// When this instance started (UTC), for the operator's uptime.
    pub started_at: chrono::NaiveDateTime,
    /// The turns being taken now; the in-process worker yields to them.
    pub turns_in_flight: TurnsInFlight,
}

impl AppState {
    /// Resolves the values kept in the database; blocking (run it off the
    /// async threads).
    pub fn new(config: Arc<Config>, db: DbPool) -> anyhow::Result<AppState> {
        let default_twilio_token = match &config.twilio_auth_token {
            Some(token) => token.clone(),
            None => {
                let mut conn = db.get()?;
                let token = settings::get_or_create(&mut conn, settings::DEV_TWILIO_TOKEN, || {
                    settings::random_token(32)
                })?;
                tracing::warn!(
                    "TWILIO_AUTH_TOKEN is not set: webhooks are checked against a generated development \
                     token, so only `frontdesk call` can place calls; set it before connecting Twilio"
                );
                Secret::new(token)
            }
        };
        let brain = crate::ai::configured(&config)?;
        let session_key =
            crate::web::session::cookie_key(config.session_key.as_ref(), &mut *db.get()?)?;
        crate::web::login::prepare();
        Ok(AppState {
            config,
            db,
            default_twilio_token,
            directory: Arc::default(),
            brain,
            active_calls: ActiveCalls::default(),
            admissions: AdmissionQueues::default(),
            session_key,
            started_at: crate::clock::now(),
            turns_in_flight: TurnsInFlight::default(),
        })
    }
}

/// Every URL of the product: the probes and the Twilio webhooks, then the
/// dashboard (`web::routes`, its own table).
pub fn routes(cfg: &mut web::ServiceConfig, state: &AppState) {
    cfg.service(health::healthz)
        .service(health::readyz)
        .service(webhooks::voice)
        .service(webhooks::gather)
        .service(webhooks::resume)
        .service(webhooks::transfer_status)
        .service(webhooks::fallback_status)
        .service(webhooks::call_status);
    crate::web::routes::configure(cfg, state);
}

/// A bound, not yet running server. Tests bind port 0 and read `port()`.
pub struct Application {
    server: Server,
    local_addr: SocketAddr,
}

impl Application {
    pub fn build(state: AppState) -> std::io::Result<Application> {
        let listener = TcpListener::bind(state.config.bind)?;
        let local_addr = listener.local_addr()?;
        let grace = state.config.shutdown_grace.as_secs();
        let state = web::Data::new(state);
        let server = HttpServer::new(move || {
            App::new()
                .app_data(state.clone())
                .wrap(middleware::from_fn(request_log::request_log))
                .configure(|cfg| routes(cfg, &state))
        })
        .shutdown_timeout(grace)
        .listen(listener)?
        .run();
        Ok(Application { server, local_addr })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    pub fn port(&self) -> u16 {
        self.local_addr.port()
    }

    /// Runs until SIGTERM/SIGINT; in-flight requests get the grace period.
    pub async fn run(self) -> std::io::Result<()> {
        self.server.await
    }
}
