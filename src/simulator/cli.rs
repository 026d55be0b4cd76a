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
    match print_llm_usage(config, &outcome.call_sid).await {
        // Called with --auth-token from elsewhere: nothing to read from.
        Err(error) if error.is::<server::NoDatabase>() => {}
        Err(error) => println!("-- the LLM's token use could not be read: {error:#}"),
        Ok(()) => {}
    }
    Ok(())
}

/// The LLM's part in the call, completion by completion, when it took part.
async fn print_llm_usage(config: &Config, call_sid: &str) -> anyhow::Result<()> {
    use diesel::prelude::*;

    use crate::calls::usage;
    use crate::ids::{CallId, TenantId};
    use crate::schema::calls;

    let config = config.clone();
    let sid = call_sid.to_owned();
    let rows = tokio::task::spawn_blocking(move || {
        let mut conn = server::open_existing_database(&config)?;
        let conn = &mut conn;
        let found: Option<(CallId, TenantId)> = calls::table
            .filter(calls::call_sid.eq(&sid))
            .select((calls::id, calls::tenant_id))
            .first(conn)
            .optional()?;
        let Some((call_id, tenant_id)) = found else {
            return Ok::<_, anyhow::Error>(Vec::new());
        };
        Ok(usage::for_call(conn, tenant_id, call_id)?)
    })
    .await??;
    if rows.is_empty() {
        return Ok(());
    }
    println!("-- LLM use:");
    let (mut prompt, mut completion) = (0i64, 0i64);
    for row in &rows {
        let what = match row.turn_seq {
            Some(seq) => format!("caller line {}", (seq + 1) / 2),
            None => row.purpose.clone(),
        };
        println!(
            "   {what}: {} ms, {} prompt + {} completion tokens, {} ({})",
            row.latency_ms, row.prompt_tokens, row.completion_tokens, row.model, row.outcome
        );
        prompt += i64::from(row.prompt_tokens);
        completion += i64::from(row.completion_tokens);
    }
    println!("   in all: {prompt} prompt + {completion} completion tokens");
    Ok(())
}

/// The token the server will check this call against: the called tenant's
/// own, else `TWILIO_AUTH_TOKEN`, else the development token.
async fn signing_token(config: &Config, to: &str) -> anyhow::Result<String> {
    let config = config.clone();
    let to = to.to_owned();
    tokio::task::spawn_blocking(move || {
        let mut conn = server::open_existing_database(&config)
            .context("cannot read the signing token from the server's database")?;
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
