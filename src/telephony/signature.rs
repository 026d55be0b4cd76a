//! Twilio request signatures (`X-Twilio-Signature`).
//!
//! Twilio signs every webhook with HMAC-SHA1 over the full URL it requested followed by the
//! POST fields sorted by name, each appended as name then value. Validation follows Twilio's
//! official helper libraries: the signature may have been computed on the URL with or without
//! its port, so both forms are tried. This runs on every webhook, so it hashes the URL in
//! pieces instead of building candidate strings.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use hmac::{Hmac, Mac as _};
use sha1::Sha1;
use subtle::ConstantTimeEq as _;

type HmacSha1 = Hmac<Sha1>;

/// Length of a base64-encoded HMAC-SHA1 digest (20 bytes).
const SIGNATURE_LEN: usize = 28;

/// The base64 HMAC-SHA1 signature Twilio would send for a request to `url` with form `params`.
pub fn compute_signature(url: &str, params: &[(String, String)], auth_token: &[u8]) -> String {
    let sorted = sorted_params(params);
    let mut encoded = [0u8; SIGNATURE_LEN];
    let text = encode_signature(&sign(&[url], &sorted, auth_token), &mut encoded);
    text.to_owned()
}

/// Whether `signature` is Twilio's signature for a request to `url` with form `params`.
///
/// Accepts, like Twilio's own libraries, a signature computed on the URL as given, on the URL
/// without its port, or on the URL with the scheme's default port added (`:443` for https,
/// `:80` for http). A non-default port is therefore also tried stripped. Comparison is in
/// constant time.
pub fn validate(
    url: &str,
    params: &[(String, String)],
    auth_token: &[u8],
    signature: &str,
) -> bool {
    if signature.len() != SIGNATURE_LEN {
        return false;
    }
    let sorted = sorted_params(params);
    let matches = |pieces: &[&str]| {
        let mut encoded = [0u8; SIGNATURE_LEN];
        let expected = encode_signature(&sign(pieces, &sorted, auth_token), &mut encoded);
        bool::from(expected.as_bytes().ct_eq(signature.as_bytes()))
    };

    let as_given = matches(&[url]);
    let other_form = match split_port(url) {
        // Port present: also try without it.
        Some(UrlParts {
            before_port,
            port: Some(_),
            after_port,
        }) => matches(&[before_port, after_port]),
        // No port: also try with the scheme's default port.
        Some(UrlParts {
            before_port,
            port: None,
            after_port,
        }) => default_port(url).is_some_and(|port| matches(&[before_port, port, after_port])),
        None => false,
    };
    as_given | other_form
}

/// Params sorted by name then value (byte order), identical pairs once, as Twilio's libraries
/// do (`sorted(set(values))`).
fn sorted_params(params: &[(String, String)]) -> Vec<(&str, &str)> {
    let mut sorted: Vec<(&str, &str)> = params
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    sorted.sort_unstable();
    sorted.dedup();
    sorted
}

fn sign(url_pieces: &[&str], sorted_params: &[(&str, &str)], auth_token: &[u8]) -> [u8; 20] {
    // HMAC accepts keys of any length, so this cannot fail.
    let Ok(mut mac) = HmacSha1::new_from_slice(auth_token) else {
        return [0; 20];
    };
    for piece in url_pieces {
        mac.update(piece.as_bytes());
    }
    for (name, value) in sorted_params {
        mac.update(name.as_bytes());
        mac.update(value.as_bytes());
    }
    mac.finalize().into_bytes().into()
}

fn encode_signature<'a>(digest: &[u8; 20], out: &'a mut [u8; SIGNATURE_LEN]) -> &'a str {
    // 20 bytes always encode to exactly 28 base64 characters.
    let written = BASE64.encode_slice(digest, out).unwrap_or(0);
    std::str::from_utf8(&out[..written]).unwrap_or("")
}

/// A URL cut around its port: `before_port` ends with the host, `port` includes the colon
/// (`":8443"`), `after_port` starts at the path, query or end.
struct UrlParts<'a> {
    before_port: &'a str,
    port: Option<&'a str>,
    after_port: &'a str,
}

fn split_port(url: &str) -> Option<UrlParts<'_>> {
    let authority_start = url.find("://")? + 3;
    let authority_len = url[authority_start..]
        .find(['/', '?', '#'])
        .unwrap_or(url.len() - authority_start);
    let authority_end = authority_start + authority_len;
    let authority = &url[authority_start..authority_end];
    // Skip any userinfo, and an IPv6 literal's colons.
    let host_start = authority.rfind('@').map_or(0, |at| at + 1);
    let host_port = &authority[host_start..];
    let search_from = host_port.rfind(']').unwrap_or(0);
    let port_colon = host_port[search_from..]
        .rfind(':')
        .map(|colon| authority_start + host_start + search_from + colon);
    Some(match port_colon {
        Some(colon)
            if url[colon + 1..authority_end]
                .bytes()
                .all(|b| b.is_ascii_digit()) =>
        {
            UrlParts {
                before_port: &url[..colon],
                port: Some(&url[colon..authority_end]),
                after_port: &url[authority_end..],
            }
        }
        _ => UrlParts {
            before_port: &url[..authority_end],
            port: None,
            after_port: &url[authority_end..],
        },
    })
}

fn default_port(url: &str) -> Option<&'static str> {
    let scheme = &url[..url.find("://")?];
    if scheme.eq_ignore_ascii_case("https") {
        Some(":443")
    } else if scheme.eq_ignore_ascii_case("http") {
        Some(":80")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &[u8] = b"12345";
    const URL: &str = "https://mycompany.com/myapp.php?foo=1&bar=2";

    fn params(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn reference_params() -> Vec<(String, String)> {
        // Deliberately unsorted: the signer must sort them.
        params(&[
            ("To", "+18005551212"),
            ("From", "+14158675309"),
            ("Digits", "1234"),
            ("Caller", "+14158675309"),
            ("CallSid", "CA1234567890ABCDE"),
        ])
    }

    #[test]
    fn the_reference_url_signs_to_the_known_answer() {
        assert_eq!(
            compute_signature(URL, &reference_params(), TOKEN),
            "RSOYDt4T1cUTdK1PDd93/VVr8B8="
        );
        assert!(validate(
            URL,
            &reference_params(),
            TOKEN,
            "RSOYDt4T1cUTdK1PDd93/VVr8B8="
        ));
    }

    #[test]
    fn a_url_with_the_https_default_port_signs_to_its_known_answer() {
        let url = "https://mycompany.com:443/myapp.php?foo=1&bar=2";
        assert_eq!(
            compute_signature(url, &reference_params(), TOKEN),
            "kvajT1Ptam85bY51eRf/AJRuM3w="
        );
    }

    #[test]
    fn a_url_with_the_http_default_port_signs_to_its_known_answer() {
        let url = "http://mycompany.com:80/myapp.php?foo=1&bar=2";
        assert_eq!(
            compute_signature(url, &reference_params(), TOKEN),
            "0ZXoZLH/DfblKGATFgpif+LLRf4="
        );
    }

    #[test]
    fn a_url_with_a_custom_port_signs_to_its_known_answer() {
        let url = "http://mycompany.com:1234/myapp.php?foo=1&bar=2";
        assert_eq!(
            compute_signature(url, &reference_params(), TOKEN),
            "Zmvh+3yNM1Phv2jhDCwEM3q5ebU="
        );
        assert!(validate(
            url,
            &reference_params(),
            TOKEN,
            "Zmvh+3yNM1Phv2jhDCwEM3q5ebU="
        ));
    }

    #[test]
    fn a_signature_made_without_the_default_port_validates_when_the_port_is_present() {
        let url = "https://mycompany.com:443/myapp.php?foo=1&bar=2";
        assert!(validate(
            url,
            &reference_params(),
            TOKEN,
            "RSOYDt4T1cUTdK1PDd93/VVr8B8="
        ));
    }

    #[test]
    fn a_signature_made_with_the_default_port_validates_when_the_port_is_absent() {
        assert!(validate(
            URL,
            &reference_params(),
            TOKEN,
            "kvajT1Ptam85bY51eRf/AJRuM3w="
        ));
        let http = "http://mycompany.com/myapp.php?foo=1&bar=2";
        assert!(validate(
            http,
            &reference_params(),
            TOKEN,
            "0ZXoZLH/DfblKGATFgpif+LLRf4="
        ));
    }

    #[test]
    fn a_custom_port_also_validates_against_the_signature_of_the_url_without_it() {
        let url = "https://mycompany.com:1234/myapp.php?foo=1&bar=2";
        assert!(validate(
            url,
            &reference_params(),
            TOKEN,
            "RSOYDt4T1cUTdK1PDd93/VVr8B8="
        ));
    }

    #[test]
    fn repeated_keys_sign_their_sorted_distinct_values() {
        let repeated = params(&[
            ("Sid", "CA123"),
            ("SidAccount", "AC123"),
            ("Digits", "5678"),
            ("Digits", "1234"),
            ("Digits", "1234"),
        ]);
        assert_eq!(
            compute_signature(URL, &repeated, TOKEN),
            "IK+Dwps556ElfBT0I3Rgjkr1wJU="
        );
        assert!(validate(
            URL,
            &repeated,
            TOKEN,
            "IK+Dwps556ElfBT0I3Rgjkr1wJU="
        ));
    }

    #[test]
    fn a_json_body_hash_url_signs_to_its_known_answer_with_no_params() {
        let url = "https://mycompany.com/myapp.php?foo=1&bar=2&bodySHA256=\
                   0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";
        assert_eq!(
            compute_signature(url, &[], TOKEN),
            "a9nBmqA0ju/hNViExpshrM61xv4="
        );
    }

    #[test]
    fn a_wrong_signature_token_url_or_param_is_rejected() {
        let good = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";
        assert!(!validate(URL, &reference_params(), b"54321", good));
        assert!(!validate(
            "https://mycompany.com/myapp.php?foo=1&bar=3",
            &reference_params(),
            TOKEN,
            good
        ));
        let mut tampered = reference_params();
        tampered.push(("Extra".into(), "1".into()));
        assert!(!validate(URL, &tampered, TOKEN, good));
        assert!(!validate(URL, &reference_params(), TOKEN, ""));
        assert!(!validate(
            URL,
            &reference_params(),
            TOKEN,
            "RSOYDt4T1cUTdK1PDd93/VVr8B8"
        ));
        assert!(!validate(
            URL,
            &reference_params(),
            TOKEN,
            "rsoydt4t1cutdk1pdd93/vvr8b8="
        ));
    }

    #[test]
    fn the_default_port_of_the_other_scheme_is_not_accepted() {
        // Signed as http://...:80, presented as https://... — not the same URL.
        let url = "https://mycompany.com/myapp.php?foo=1&bar=2";
        assert!(!validate(
            url,
            &reference_params(),
            TOKEN,
            "0ZXoZLH/DfblKGATFgpif+LLRf4="
        ));
    }

    #[test]
    fn ports_are_found_after_userinfo_and_ipv6_literals() {
        let cases = [
            (
                "https://u:p@host:8443/x",
                "https://u:p@host",
                Some(":8443"),
                "/x",
            ),
            ("https://u:p@host/x", "https://u:p@host", None, "/x"),
            (
                "http://[::1]:8080?a=1",
                "http://[::1]",
                Some(":8080"),
                "?a=1",
            ),
            ("http://[::1]/", "http://[::1]", None, "/"),
            ("https://host", "https://host", None, ""),
            ("https://host:443", "https://host", Some(":443"), ""),
        ];
        for (url, before, port, after) in cases {
            let Some(parts) = split_port(url) else {
                panic!("{url} should split");
            };
            assert_eq!(
                (parts.before_port, parts.port, parts.after_port),
                (before, port, after),
                "{url}"
            );
        }
    }

    #[test]
    fn params_containing_non_ascii_text_sign_their_utf8_bytes() {
        let p = params(&[
            ("SpeechResult", "Café, s'il vous plaît"),
            ("Confidence", "0.9"),
        ]);
        let signature = compute_signature(URL, &p, TOKEN);
        assert!(validate(URL, &p, TOKEN, &signature));
    }
}
