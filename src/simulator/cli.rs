//! `frontdesk call`: talk to a running receptionist as a caller would.

use anyhow::{Context, bail};

use super::{Call, CallEnd, CallerConfig, Interactive, ScriptedLines};
use crate::cli::CallArgs;
use crate::config::Config;
use crate::{server, settings};

pub async fn call(config: &Config, args: CallArgs) -> anyhow::Result<()> {
    let server_url = args.server.clone().unwrap_or_else(|| {
        let bind = config.bind;
        let host = if bind.ip().is_unspecified() {
            "127.0.0.1".to_owned()
        } else {
            bind.ip().to_string()
        };
        format!("http://{host}:{}", bind.port())
    });
    let auth_token = match args.auth_token.clone() {
        Some(token) => token,
        None => signing_token(config, &args.to).await?,
    };
    let mut caller = CallerConfig::new(
        server_url.trim_end_matches('/'),
        auth_token,
        &args.from,
        &args.to,
    );
    caller.public_url = config.public_url.clone();
    if let Some(sid) = &config.twilio_account_sid {
        caller.account_sid = sid.clone();
    }
    let outcome = match &args.script {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            let mut script = ScriptedLines::parse(&text)?;
            let outcome = Call::run(&caller, &mut script).await?;
            for line in &outcome.transcript {
                println!("{line}");
            }
            outcome
        }
        None => {
            println!(
                "Calling {} from {} via {server_url} (Ctrl-D hangs up)",
                args.to, args.from
            );
            Call::run(&caller, &mut Interactive::stdio()).await?
        }
    };
    match &outcome.ended {
        CallEnd::Rejected { .. } => println!(
            "-- call {} was refused before answering: the number is blocked, withheld while the business \
             refuses withheld numbers, or over the business's calls_per_hour_per_caller limit (try another --from)",
            outcome.call_sid
        ),
        ended => println!("-- call {} ended: {ended:?}", outcome.call_sid),
    }
    Ok(())
}

/// The token the server will check this call against: the called tenant's
/// own, else `TWILIO_AUTH_TOKEN`, else the development token.
async fn signing_token(config: &Config, to: &str) -> anyhow::Result<String> {
    let config = config.clone();
    let to = to.to_owned();
    tokio::task::spawn_blocking(move || {
        let pool = server::open_database(&config)
            .context("cannot read the signing token from the database; pass --auth-token")?;
        let mut conn = pool.get()?;
        if let Some(token) = crate::tenants::directory::tenant_token_for_number(&mut conn, &to)? {
            return Ok(token);
        }
        if let Some(token) = &config.twilio_auth_token {
            return Ok(token.expose().to_owned());
        }
        match settings::get(&mut conn, settings::DEV_TWILIO_TOKEN)? {
            Some(token) => Ok(token),
            None => {
                bail!("no auth token: start the server once (it creates one) or pass --auth-token")
            }
        }
    })
    .await?
}
