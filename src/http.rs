//! Outgoing HTTP (the LLM, the call simulator): one place that makes sure
//! TLS has its crypto provider before any client is built.

use std::sync::Once;

/// Installs rustls' ring provider (the one lettre already uses) as the
/// process default, once; reqwest clients use it for https.
pub fn install_crypto() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // Err only when another provider was installed first: keep that one.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// A reqwest client builder, ready for https.
pub fn client_builder() -> reqwest::ClientBuilder {
    install_crypto();
    reqwest::Client::builder()
}
