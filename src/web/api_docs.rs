//! `/docs`: the API reference for integrators, rendered on the server from the same OpenAPI
//! document `/api/v1/openapi.json` serves, so the two say the same thing. No JavaScript, no
//! assets from elsewhere: it works offline and on a slow link.

use maud::{html, Markup};
use serde_json::Value;

use super::context::Page;
use super::layout::page;
use crate::api::openapi::spec;

pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![docs]
}

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

#[rocket::get("/docs")]
fn docs(p: Page) -> Markup {
    let doc = spec().clone();
    let base = doc["servers"][0]["url"].as_str().unwrap_or("");
    let tags: Vec<(&str, &str)> = doc["tags"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| {
            (
                t["name"].as_str().unwrap_or(""),
                t["description"].as_str().unwrap_or(""),
            )
        })
        .collect();
    let operations = operations(&doc);
    page(
        &p,
        "API",
        html! {
            h1 { "bookbridge API " (doc["info"]["version"].as_str().unwrap_or("")) }
            (paragraphs(doc["info"]["description"].as_str().unwrap_or("")))
            p { "Base URL: " code { (base) } ". Machine-readable: "
                a href={ (base) "/openapi.json" } { code { (base) "/openapi.json" } } " (OpenAPI 3.1)." }
            nav.toc aria-label="endpoints" {
                @for (tag, _) in &tags {
                    h2 { (tag) }
                    ul {
                        @for op in operations.iter().filter(|o| o.tag == *tag) {
                            li { a href={ "#" (op.anchor()) } { code { (op.method.to_uppercase()) " " (op.path) } } " " (inline(op.summary())) }
                        }
                    }
                }
            }
            @for (tag, description) in &tags {
                section {
                    h2 { (tag) }
                    p { (description) }
                    @for op in operations.iter().filter(|o| o.tag == *tag) { (operation(op, &doc)) }
                }
            }
            section {
                h2 #schemas { "Schemas" }
                @for (name, schema) in doc["components"]["schemas"].as_object().into_iter().flatten() {
                    (schema_section(name, schema))
                }
            }
        },
    )
}

struct Operation<'a> {
    method: &'a str,
    path: &'a str,
    tag: &'a str,
    body: &'a Value,
}

impl Operation<'_> {
    fn anchor(&self) -> String {
        format!(
            "{}-{}",
            self.method,
            self.path.replace(['/', '{', '}', '.'], "-")
        )
    }

    fn summary(&self) -> &str {
        self.body["summary"]
            .as_str()
            .or_else(|| self.body["description"].as_str())
            .and_then(|s| s.lines().next())
            .unwrap_or("")
    }
}

fn operations(doc: &Value) -> Vec<Operation<'_>> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for method in METHODS {
            if let Some(body) = item.get(method) {
                out.push(Operation {
                    method,
                    path,
                    tag: body["tags"][0].as_str().unwrap_or(""),
                    body,
                });
            }
        }
    }
    out
}

fn paragraphs(text: &str) -> Markup {
    html! { @for para in text.split("\n\n") { p { (inline(para)) } } }
}

/// Text with its `backticked` spans as code: the only markup the descriptions use.
fn inline(text: &str) -> Markup {
    html! {
        @for (i, part) in text.split('`').enumerate() {
            @if i % 2 == 1 { code { (part) } } @else { (part) }
        }
    }
}

fn operation(op: &Operation<'_>, doc: &Value) -> Markup {
    let body = op.body;
    let security = body["security"].as_array();
    let auth = match security {
        None => "No token needed.",
        Some(s)
            if s.iter()
                .any(|r| r.as_object().is_some_and(|o| o.is_empty())) =>
        {
            "A token is optional: some fields appear only for callers allowed to see them."
        }
        Some(_) => "Needs the header Authorization: Bearer <token>.",
    };
    html! {
        article.card id=(op.anchor()) {
            h3 { code { (op.method.to_uppercase()) " " (doc["servers"][0]["url"].as_str().unwrap_or("")) (op.path) } }
            (paragraphs(body["description"].as_str().or(body["summary"].as_str()).unwrap_or("")))
            p.meta { (auth) }
            @if let Some(params) = body["parameters"].as_array() {
                table {
                    tr { th { "parameter" } th { "in" } th { "type" } th { "" } }
                    @for param in params {
                        tr {
                            td { code { (param["name"].as_str().unwrap_or("")) } @if param["required"] == true { " *" } }
                            td { (param["in"].as_str().unwrap_or("")) }
                            td { (type_of(&param["schema"])) }
                            td { (inline(param["description"].as_str().unwrap_or(""))) }
                        }
                    }
                }
            }
            @if let Some(request) = body.get("requestBody") {
                p { strong { "Body" } @if request["required"] != true { " (optional)" } ": "
                    @for (media, content) in request["content"].as_object().into_iter().flatten() {
                        code { (media) } " " (type_of(&content["schema"])) "; "
                    }
                    (inline(request["description"].as_str().unwrap_or("")))
                }
            }
            table {
                tr { th { "status" } th { "answer" } th { "" } }
                @for (status, response) in body["responses"].as_object().into_iter().flatten() {
                    tr {
                        td { (status) }
                        td { @for content in response["content"].as_object().into_iter().flatten().map(|(_, c)| c) { (type_of(&content["schema"])) } }
                        td { (inline(response["description"].as_str().unwrap_or(""))) }
                    }
                }
            }
        }
    }
}

fn schema_section(name: &str, schema: &Value) -> Markup {
    let required: Vec<&str> = schema["required"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    html! {
        article.card id={ "schema-" (name) } {
            h3 { (name) }
            @if let Some(d) = schema["description"].as_str() { (paragraphs(d)) }
            @for part in schema["allOf"].as_array().into_iter().flatten().filter(|p| p.get("$ref").is_some()) {
                p { "Has every field of " (type_of(part)) ", and:" }
            }
            @if let Some(values) = schema["enum"].as_array() {
                p { "One of: " @for (i, v) in values.iter().enumerate() { @if i > 0 { ", " } code { (v.as_str().unwrap_or("")) } } }
            }
            @let own = schema["allOf"].as_array().into_iter().flatten().find(|p| p.get("properties").is_some()).unwrap_or(schema);
            @if let Some(properties) = own["properties"].as_object() {
                table {
                    tr { th { "field" } th { "type" } th { "" } }
                    @for (field, property) in properties {
                        tr {
                            td { code { (field) } @if required.contains(&field.as_str()) || own["required"].as_array().is_some_and(|r| r.iter().any(|f| f == field.as_str())) { " *" } }
                            td { (type_of(property)) }
                            td { (inline(property["description"].as_str().unwrap_or(""))) }
                        }
                    }
                }
            }
        }
    }
}

/// A schema in a few words, with links to named schemas.
fn type_of(schema: &Value) -> Markup {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.rsplit('/').next().unwrap_or(reference);
        return html! { a href={ "#schema-" (name) } { (name) } };
    }
    if let Some(options) = schema["oneOf"].as_array().or(schema["anyOf"].as_array()) {
        return html! { @for (i, option) in options.iter().enumerate() { @if i > 0 { " or " } (type_of(option)) } };
    }
    if let Some(parts) = schema["allOf"].as_array() {
        return html! { @for (i, part) in parts.iter().enumerate() { @if i > 0 { " and " } (type_of(part)) } };
    }
    let names: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    html! {
        @for (i, name) in names.iter().enumerate() {
            @if i > 0 { " or " }
            @if *name == "array" { "array of " (type_of(&schema["items"])) } @else { (name) }
        }
        @if names.is_empty() { "any" }
        @if let Some(format) = schema["format"].as_str() { " (" (format) ")" }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backticks_become_code_and_everything_stays_escaped() {
        assert_eq!(
            inline("send `Bearer <token>` & wait").into_string(),
            "send <code>Bearer &lt;token&gt;</code> &amp; wait"
        );
        assert_eq!(inline("no code").into_string(), "no code");
    }

    #[test]
    fn types_read_as_words_with_links() {
        let nullable_ref = serde_json::json!({"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/ShipTo"}]});
        assert_eq!(
            type_of(&nullable_ref).into_string(),
            r##"null or <a href="#schema-ShipTo">ShipTo</a>"##
        );
        let list =
            serde_json::json!({"type": "array", "items": {"type": "integer", "format": "int64"}});
        assert_eq!(type_of(&list).into_string(), "array of integer (int64)");
        let optional = serde_json::json!({"type": ["string", "null"]});
        assert_eq!(type_of(&optional).into_string(), "string or null");
    }
}
