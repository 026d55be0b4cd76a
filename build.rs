//! Marks the PostgreSQL variants of the integration tests as runnable when
//! `FRONTDESK_TEST_POSTGRES_URL` is set; otherwise they show as ignored with
//! the reason, instead of silently passing.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(postgres_tests)");
    println!("cargo::rerun-if-env-changed=FRONTDESK_TEST_POSTGRES_URL");
    if std::env::var_os("FRONTDESK_TEST_POSTGRES_URL").is_some_and(|v| !v.is_empty()) {
        println!("cargo::rustc-cfg=postgres_tests");
    }
}
