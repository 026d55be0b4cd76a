//! The dashboard's stylesheet and script, compiled into the binary and
//! served at `/static/NAME?v=HASH`. The hash of the content is in every URL
//! the pages use, so browsers may keep a file for a year: a new version has
//! a new URL. The ETag lets a stale URL be revalidated cheaply.

use std::sync::LazyLock;

use actix_web::http::header::{self, ETag, EntityTag};
use actix_web::{HttpRequest, HttpResponse, get, web};
use sha2::{Digest, Sha256};

/// One compiled-in file.
pub struct Asset {
    pub name: &'static str,
    pub content_type: &'static str,
    pub body: &'static str,
    /// First 16 hex digits of the content's SHA-256.
    pub hash: String,
}

impl Asset {
    fn new(name: &'static str, content_type: &'static str, body: &'static str) -> Asset {
        let digest = Sha256::digest(body.as_bytes());
        let hash = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
        Asset {
            name,
            content_type,
            body,
            hash,
        }
    }

    /// The URL pages link to.
    pub fn url(&self) -> String {
        format!("/static/{}?v={}", self.name, self.hash)
    }
}

pub static STYLESHEET: LazyLock<Asset> = LazyLock::new(|| {
    Asset::new(
        "dashboard.css",
        "text/css; charset=utf-8",
        include_str!("../../static/dashboard.css"),
    )
});

pub static SCRIPT: LazyLock<Asset> = LazyLock::new(|| {
    Asset::new(
        "dashboard.js",
        "text/javascript; charset=utf-8",
        include_str!("../../static/dashboard.js"),
    )
});

#[derive(serde::Deserialize)]
struct Version {
    v: Option<String>,
}

#[get("/static/{name}")]
pub async fn serve(
    req: HttpRequest,
    name: web::Path<String>,
    version: web::Query<Version>,
) -> HttpResponse {
    let asset: &Asset = match name.as_str() {
        "dashboard.css" => &STYLESHEET,
        "dashboard.js" => &SCRIPT,
        _ => return super::errors::plain_not_found(),
    };
    let tag = EntityTag::new_strong(asset.hash.clone());
    let cache = if version.v.as_deref() == Some(asset.hash.as_str()) {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=300"
    };
    let matches = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag.to_string()));
    let mut res = if matches {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    res.insert_header(ETag(tag))
        .insert_header((header::CACHE_CONTROL, cache))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"));
    if matches {
        return res.finish();
    }
    res.content_type(asset.content_type).body(asset.body)
}
