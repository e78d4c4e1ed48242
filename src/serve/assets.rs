//! The web page, embedded in the binary at build time: one HTML file, one
//! script, one style sheet, no CDN, so that it works offline.
//!
//! The page builds every piece of statement text with `textContent`,
//! never as HTML, and is served with a Content-Security-Policy that
//! allows only its own script and style: a statement holding `<script>`
//! shows as text. The API's description is served beside it.

use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};

const PAGE: &str = include_str!("page/index.html");
const SCRIPT: &str = include_str!("page/app.js");
const STYLE: &str = include_str!("page/style.css");
const OPENAPI: &str = include_str!("openapi.yaml");
/// A magnifying glass, so that browsers asking for an icon get one.
const ICON: &str = "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'>\
<circle cx='6.5' cy='6.5' r='4.5' fill='none' stroke='#1f5fa8' stroke-width='2'/>\
<path d='M10 10l4.5 4.5' stroke='#1f5fa8' stroke-width='2.5'/></svg>";

/// Only the page's own files; no inline script, no framing.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
                   connect-src 'self'; img-src 'self'; base-uri 'none'; \
                   form-action 'self'; frame-ancestors 'none'";

fn asset(body: &'static str, content_type: &'static str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

/// `GET /`: the search page.
pub async fn page() -> Response {
    asset(PAGE, "text/html; charset=utf-8")
}

/// `GET /app.js`.
pub async fn script() -> Response {
    asset(SCRIPT, "text/javascript; charset=utf-8")
}

/// `GET /style.css`.
pub async fn style() -> Response {
    asset(STYLE, "text/css; charset=utf-8")
}

/// `GET /api/openapi.yaml`: the API's OpenAPI 3 description.
pub async fn openapi() -> Response {
    asset(OPENAPI, "application/yaml; charset=utf-8")
}

/// `GET /favicon.svg` and `GET /favicon.ico`: the page's icon.
pub async fn icon() -> Response {
    asset(ICON, "image/svg+xml")
}
