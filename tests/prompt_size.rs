//! How big the OpenAI brain's prompt is per caller turn (issue 9: under
//! 1,200 tokens with a 200-entry knowledge base), for the example tenants,
//! the corpus businesses and a 200-entry knowledge base, with the
//! conversation so far at its longest. Tokens are estimated at four
//! characters each, as `ai::openai::estimated_tokens` does.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use diesel::{Connection, SqliteConnection};
use frontdesk::ai::Heard;
use frontdesk::ai::openai::{estimated_tokens, turn_prompt};
use frontdesk::conversation::interpretation::{Details, Expecting};
use frontdesk::conversation::profile::LocalTime;
use frontdesk::db::DbConnection;
use frontdesk::tenants::directory::{TenantContext, load_context};
use frontdesk::tenants::file::TenantFile;

const UTTERANCES: &[&str] = &[
    "hi um yeah I was wondering how much you charge for a regular visit and do you take insurance",
    "what are your hours on saturday",
    "can I talk to somebody in billing about a charge on my statement",
    "I'd like to leave a message for the office please",
    "it's jane with a j doe d o e",
    "do you guys do emergency appointments like today because my tooth is killing me",
];

fn load(name: &str, text: &str) -> TenantContext {
    let spec = TenantFile::parse(name, text).unwrap_or_else(|e| panic!("{e}"));
    let mut conn = DbConnection::Sqlite(SqliteConnection::establish(":memory:").unwrap());
    frontdesk::db::run_migrations(&mut conn).unwrap();
    let report = frontdesk::tenants::store::import(&mut conn, &spec, name).unwrap();
    load_context(&mut conn, report.tenant_id).unwrap()
}

/// (smallest, average, largest) estimated prompt tokens over the utterances.
fn prompt_tokens(ctx: &TenantContext) -> (usize, usize, usize) {
    let recent: Vec<String> = (0..6)
        .map(|i| {
            let who = if i % 2 == 0 { "Caller" } else { "Receptionist" };
            format!(
                "{who}: {}",
                "and another thing I wanted to ask about was this ".repeat(5)
            )
        })
        .collect();
    let lead = Details {
        name: Some("Jane Doe".into()),
        phone: Some("+15551234567".into()),
        email: None,
        reason: Some("a question about a bill".into()),
    };
    let sizes: Vec<usize> = UTTERANCES
        .iter()
        .map(|text| {
            let heard = Heard {
                text,
                expecting: Expecting::Anything,
                profile: &ctx.profile,
                knowledge: &ctx.knowledge,
                country_code: ctx.country_code,
                lead: &lead,
                topic: None,
                local_time: LocalTime {
                    weekday: 1,
                    minute: 600,
                    ..LocalTime::default()
                },
                open_now: true,
                recent: &recent,
                model: None,
            };
            let (system, user) = turn_prompt(&heard);
            estimated_tokens(&system) + estimated_tokens(&user)
        })
        .collect();
    let (min, max) = (*sizes.iter().min().unwrap(), *sizes.iter().max().unwrap());
    (min, sizes.iter().sum::<usize>() / sizes.len(), max)
}

fn with_knowledge(text: &str, entries: usize) -> String {
    let mut text = text.to_owned();
    for i in 0..entries {
        text.push_str(&format!(
            "\n[[knowledge]]\nquestion = \"Do you offer service package number {i} for families with kids and seniors?\"\n\
             answer = \"Yes. Package {i} covers two visits a year, a cleaning and an exam for each family member, \
             with x-rays once a year. It costs {} dollars a year, and you can pay monthly. Ask the front desk \
             to add your family when you next come in.\"\n",
            100 + i
        ));
    }
    text
}

#[test]
fn a_turns_prompt_stays_under_1200_tokens_whatever_the_knowledge_base() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut tenants: Vec<(String, String)> =
        ["examples/bright-smile.toml", "examples/rapid-rooter.toml"]
            .iter()
            .map(|p| {
                (
                    p.to_string(),
                    std::fs::read_to_string(root.join(p)).unwrap(),
                )
            })
            .collect();
    for entry in std::fs::read_dir(root.join("tests/corpus/tenants")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            let name = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .display()
                .to_string();
            tenants.push((name, std::fs::read_to_string(&path).unwrap()));
        }
    }
    let dental = tenants[0].1.clone();
    tenants.push((
        "bright-smile + 200 entries".into(),
        with_knowledge(&dental, 200),
    ));
    println!(
        "{:<60} {:>5} {:>5} {:>5}",
        "tenant (prompt tokens per turn)", "min", "avg", "max"
    );
    for (name, text) in &tenants {
        let ctx = load(name, text);
        let (min, avg, max) = prompt_tokens(&ctx);
        println!("{name:<60} {min:>5} {avg:>5} {max:>5}");
        assert!(max < 1200, "{name}: {max} tokens");
    }
}
