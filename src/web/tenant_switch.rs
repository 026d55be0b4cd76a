//! POST /tenant/switch: a super admin chooses the tenant the dashboard
//! shows. The choice lives in the session; `TenantAdmin` reads it there.

use actix_session::Session;
use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use serde::Deserialize;

use super::csrf::CsrfForm;
use super::guard::SuperAdmin;
use super::login::see_other;
use super::session;
use crate::app::AppState;
use crate::db::{self, DbError};
use crate::error::AppError;
use crate::ids::TenantId;
use crate::schema::tenants;

#[derive(Deserialize)]
pub struct Switch {
    tenant_id: i64,
}

pub async fn switch(
    _admin: SuperAdmin,
    session: Session,
    state: web::Data<AppState>,
    form: CsrfForm<Switch>,
) -> Result<HttpResponse, AppError> {
    let wanted = TenantId(form.into_inner().tenant_id);
    let exists = db::run(&state.db, move |conn| {
        let found: i64 = tenants::table
            .filter(tenants::id.eq(wanted))
            .count()
            .get_result(conn)?;
        Ok::<_, DbError>(found > 0)
    })
    .await?;
    if !exists {
        return Err(AppError::NotFound);
    }
    session::choose_tenant(&session, wanted)
        .map_err(|e| AppError::Internal(anyhow::Error::new(e)))?;
    Ok(see_other("/"))
}
