//! `/settings`: the receptionist settings form. The handler parses, calls
//! [`changes::save_settings`] and renders; the form's rules are the tenant
//! file's (see `tenants::settings_form`).

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use super::{flash, store_error};
use crate::app::AppState;
use crate::audit::Change;
use crate::db::{self};
use crate::error::AppError;
use crate::tenants::changes::{self, Saved};
use crate::tenants::file::voice_choices;
use crate::tenants::settings_form::{FieldErrors, SettingsInput};
use crate::web::csrf::CsrfForm;
use crate::web::guard::TenantAdmin;
use crate::web::layout::{Nav, Page, render};
use crate::web::login::see_other;
use crate::web::session;

/// One `<optgroup>` of the voice list.
pub struct VoiceGroup {
    pub language: String,
    pub voices: Vec<String>,
}

#[derive(Template)]
#[template(path = "dashboard/settings.html")]
struct SettingsPage {
    page: Page,
    input: SettingsInput,
    errors: FieldErrors,
    languages: Vec<String>,
    voices: Vec<VoiceGroup>,
    timezones: Vec<&'static str>,
}

impl SettingsPage {
    fn new(page: Page, input: SettingsInput, errors: FieldErrors) -> SettingsPage {
        let mut voices: Vec<VoiceGroup> = voice_choices()
            .map(|(language, voices)| VoiceGroup {
                language: language.to_owned(),
                voices,
            })
            .collect();
        let offered = voices.iter().any(|g| g.voices.contains(&input.voice));
        if !offered && !input.voice.is_empty() {
            // A voice set in the tenant file stays choosable.
            voices.insert(
                0,
                VoiceGroup {
                    language: "Current voice".to_owned(),
                    voices: vec![input.voice.clone()],
                },
            );
        }
        let mut languages: Vec<String> = voice_choices().map(|(l, _)| l.to_owned()).collect();
        if !languages.contains(&input.language) && !input.language.is_empty() {
            languages.insert(0, input.language.clone());
        }
        SettingsPage {
            page,
            input,
            errors,
            languages,
            voices,
            timezones: chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name()).collect(),
        }
    }

    fn error(&self, field: &str) -> Option<&str> {
        self.errors.get(field)
    }

    /// The problem with `part` of row `index` of `list`
    /// (`departments[2].phone`).
    fn row_error(&self, list: &str, index: &usize, part: &str) -> Option<&str> {
        self.errors.get(&format!("{list}[{index}].{part}"))
    }
}

/// GET /settings.
pub async fn show(
    admin: TenantAdmin,
    session: Session,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let tenant_id = admin.tenant_id;
    let current = db::run(&state.db, move |conn| {
        changes::current(conn, tenant_id).map_err(store_error)
    })
    .await?;
    let page =
        Page::tenant(&admin, "Settings", Nav::Settings).with_flash(session::take_flash(&session));
    render(&SettingsPage::new(
        page,
        SettingsInput::from_file(&current),
        FieldErrors::default(),
    ))
}

/// POST /settings: saves the form, or shows it again with what was typed
/// and a message next to each field in error (422).
pub async fn save(
    admin: TenantAdmin,
    session: Session,
    state: web::Data<AppState>,
    form: CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let input = SettingsInput::from_pairs(&form.into_inner());
    let (tenant_id, by) = (admin.tenant_id, Change::by(admin.user.id));
    let posted = input.clone();
    let outcome = db::run_write(&state.db, move |conn| {
        db::write_transaction(conn, |conn| {
            changes::save_settings(conn, tenant_id, &by, &posted)
        })
        .map_err(store_error)
    })
    .await?;
    match outcome {
        Saved::Changed(parts) => {
            tracing::info!(tenant = %tenant_id, %parts, "receptionist settings saved");
            flash(
                &session,
                &format!("Settings saved ({parts}). The next call uses them."),
            )?;
            Ok(see_other("/settings"))
        }
        Saved::Unchanged => {
            flash(&session, "Nothing changed.")?;
            Ok(see_other("/settings"))
        }
        Saved::Invalid(errors) => {
            let page = Page::tenant(&admin, "Settings", Nav::Settings);
            let mut res = render(&SettingsPage::new(page, input, errors))?;
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(res)
        }
    }
}
