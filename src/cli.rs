//! The `frontdesk` command line.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::config::Config;
use crate::error::ErrorChain;

#[derive(Debug, Parser)]
#[command(
    name = "frontdesk",
    version,
    about = "A self-hosted AI phone receptionist for small businesses."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Migrate the database, then run the web server (the default command).
    /// On an empty database, creates the super admin first (its initial
    /// password goes to FRONTDESK_ADMIN_PASSWORD_FILE), or with the demo
    /// (`--demo`, FRONTDESK_DEMO=true, or the quick start's ./frontdesk.db)
    /// the demo business and its admins too, printing their passwords.
    Serve(ServeArgs),
    /// Apply pending database migrations and exit.
    Migrate,
    /// Run only the background job worker (summaries, emails, purges); any
    /// number of workers can share one PostgreSQL database.
    Worker,
    /// Show the job queue: jobs by kind and status, then the failed jobs
    /// (dead, or waiting to retry) with their last error.
    Jobs {
        #[command(subcommand)]
        command: Option<JobsCommand>,
    },
    /// Manage tenants (businesses): import and export TOML files, list, delete.
    Tenant {
        #[command(subcommand)]
        command: TenantCommand,
    },
    /// Manage dashboard users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Play a caller against a running server exactly as Twilio would
    /// (signed webhooks, following Gather/Redirect/Dial/Hangup). Type what
    /// the caller says; an empty line is silence, `[press 0]` presses keys,
    /// Ctrl-D hangs up.
    Call(CallArgs),
    /// Copy the whole installation into an empty database, SQLite to
    /// PostgreSQL or back. Stop the service first.
    ///
    /// For example `frontdesk migrate-data --from ./frontdesk.db --to
    /// postgres://frontdesk:PASSWORD@localhost/frontdesk`, then point
    /// DATABASE_URL at the target and start the service.
    ///
    /// Stop the service (web server and workers) before copying: a call or
    /// job that arrives during the copy is not copied. The target is
    /// migrated first and must hold nothing (empty it yourself); the source
    /// must be at this version's migrations and is only read. Everything is
    /// copied with its ids in one transaction on the target, row counts are
    /// checked, and users stay signed in; failed sign-ins are not copied,
    /// and jobs that were running arrive queued.
    MigrateData(MigrateDataArgs),
}

#[derive(Debug, clap::Args)]
struct MigrateDataArgs {
    /// The installation to copy: `sqlite://PATH`, a file path, or
    /// `postgres://...` (as DATABASE_URL takes it). Never created.
    #[arg(long)]
    from: String,
    /// The empty database to copy into (created when a SQLite file).
    #[arg(long)]
    to: String,
}

#[derive(Debug, Default, clap::Args)]
struct ServeArgs {
    /// Seed the demo business on an empty database, whatever the database
    /// (same as FRONTDESK_DEMO=true).
    #[arg(long)]
    demo: bool,
}

#[derive(Debug, clap::Args)]
pub struct CallArgs {
    /// The number called: one of a tenant's numbers.
    #[arg(long)]
    pub to: String,
    /// The caller's number.
    #[arg(long, default_value = "+15555550100")]
    pub from: String,
    /// Where the server listens (default: http:// + FRONTDESK_BIND).
    #[arg(long)]
    pub server: Option<String>,
    /// Read the caller's lines from FILE instead of the terminal, one per turn.
    /// A blank line or `[silence]` is silence; `[press 0]` presses keys;
    /// `[hangup]` and `[dial busy|no-answer|failed|completed]` are special lines.
    #[arg(long)]
    pub script: Option<PathBuf>,
    /// The auth token to sign with (default: the tenant's, else
    /// TWILIO_AUTH_TOKEN, else the development token in the local database).
    #[arg(long)]
    pub auth_token: Option<String>,
}

#[derive(Debug, Subcommand)]
enum JobsCommand {
    /// Requeue a dead or waiting job to run now. Its attempt count is kept
    /// and its retry window starts again.
    Retry {
        /// The job's id (as `frontdesk jobs` lists it).
        #[arg(required_unless_present = "dead", conflicts_with = "dead")]
        id: Option<i64>,
        /// Requeue every dead job instead.
        #[arg(long)]
        dead: bool,
    },
}

#[derive(Debug, Subcommand)]
enum TenantCommand {
    /// Create or update a tenant from a TOML file (idempotent, one transaction).
    Import {
        /// The tenant file (see examples/ for the format).
        file: PathBuf,
    },
    /// Print a tenant as a TOML file (no passwords or tokens).
    Export {
        /// The tenant's slug.
        slug: String,
    },
    /// List the tenants with their numbers and how much data each holds.
    List,
    /// Delete a tenant with all its data: numbers, settings, knowledge,
    /// users and their sessions, calls, leads and pending jobs (audit
    /// entries stay). Asks to type the slug unless --yes.
    Delete {
        /// The tenant's slug.
        slug: String,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Add a dashboard user; the password is read from the terminal or stdin.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long, value_enum)]
        role: RoleArg,
        /// The tenant a tenant admin belongs to (its slug).
        #[arg(long)]
        tenant: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum RoleArg {
    SuperAdmin,
    TenantAdmin,
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    crate::telemetry::init();
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(err) => {
            eprintln!("frontdesk: invalid configuration: {err}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("frontdesk: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(run(
        cli.command.unwrap_or(Command::Serve(ServeArgs::default())),
        config,
    ));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("frontdesk: {:?}", ErrorChain(err.as_ref()));
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command, mut config: Config) -> anyhow::Result<()> {
    match command {
        Command::Serve(ServeArgs { demo }) => {
            if demo {
                config.demo = Some(true);
            }
            crate::server::serve(config).await
        }
        Command::Migrate => crate::server::migrate_only(&config),
        Command::Worker => crate::server::work(config).await,
        Command::Jobs { command: None } => crate::jobs::cli::show(&config),
        Command::Jobs {
            command: Some(JobsCommand::Retry { id, dead }),
        } => crate::jobs::cli::retry(&config, id.map(crate::ids::JobId), dead),
        Command::Tenant {
            command: TenantCommand::Import { file },
        } => crate::tenants::cli::import(&config, &file),
        Command::Tenant {
            command: TenantCommand::Export { slug },
        } => crate::tenants::cli::export(&config, &slug),
        Command::Tenant {
            command: TenantCommand::List,
        } => crate::tenants::cli::list(&config),
        Command::Tenant {
            command: TenantCommand::Delete { slug, yes },
        } => crate::tenants::cli::delete(&config, &slug, yes),
        Command::User {
            command:
                UserCommand::Add {
                    email,
                    role,
                    tenant,
                },
        } => {
            let role = match role {
                RoleArg::SuperAdmin => crate::users::Role::SuperAdmin,
                RoleArg::TenantAdmin => crate::users::Role::TenantAdmin,
            };
            crate::users::cli::add(&config, &email, role, tenant.as_deref())
        }
        Command::Call(args) => crate::simulator::cli::call(&config, args).await,
        Command::MigrateData(MigrateDataArgs { from, to }) => {
            crate::migrate_data::run(&from, &to, config.db_timeouts)
        }
    }
}
