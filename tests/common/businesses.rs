//! The two businesses the dashboard tests sign in to: Sunny Dental
//! (answering `TENANT_NUMBER`; whitening, parking and children in its
//! knowledge base) and Harbor Dental (answering `OTHER_NUMBER`), each with
//! its own admin.

use frontdesk::ids::TenantId;
use frontdesk::users::Role;

use super::TestApp;
use super::calls::TenantToml;
use super::dashboard::SignedInClient;

pub const PASSWORD: &str = "correct horse battery";
pub const OWNER: &str = "owner@sunny.example";
pub const OTHER_NUMBER: &str = "+15005550008";
pub const OTHER_OWNER: &str = "owner@harbor.example";

/// Sunny Dental with its admin, `OWNER`.
pub async fn sunny(app: &TestApp) -> TenantId {
    let tenant = TenantToml::always_open().import(app).await;
    app.create_user(OWNER, PASSWORD, Role::TenantAdmin, Some(tenant))
        .await;
    tenant
}

/// Harbor Dental with its admin, `OTHER_OWNER`.
pub async fn harbor(app: &TestApp) -> TenantId {
    let toml = TenantToml {
        slug: "harbor-dental".to_owned(),
        number: OTHER_NUMBER.to_owned(),
        ..TenantToml::always_open()
    };
    let tenant = toml.import(app).await;
    app.create_user(OTHER_OWNER, PASSWORD, Role::TenantAdmin, Some(tenant))
        .await;
    tenant
}

/// Sunny Dental's admin, signed in.
pub async fn owner(app: &TestApp) -> SignedInClient {
    app.sign_in(OWNER, PASSWORD).await
}
