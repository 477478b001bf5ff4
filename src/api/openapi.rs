//! The OpenAPI 3.1 document, derived from the routes' `#[utoipa::path]` attributes and the
//! types they answer with. A unit test below compares it with Rocket's own route table, so
//! an endpoint cannot be added, moved or given a new query parameter without the document
//! following.

use rocket::serde::json::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::responses::{ErrorBody, ErrorDetail};
use super::{
    accounts, admin, audit, booklists, books, boxes, health, imports, notices, parcels, pledges,
    schools, search, shelves, vetting, webhooks, wechat, wishes, wishlists,
};

pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![document]
}

/// The document, built once (it is fixed when the binary is), with an example on every
/// body and answer.
pub fn spec() -> &'static serde_json::Value {
    static SPEC: std::sync::LazyLock<serde_json::Value> = std::sync::LazyLock::new(|| {
        let mut doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
        super::examples::attach(&mut doc);
        doc
    });
    &SPEC
}

/// The document itself.
#[utoipa::path(get, operation_id = "getOpenApiDocument", path = "/openapi.json", tag = "meta",
    summary = "This document",
    responses((status = 200, description = "The OpenAPI 3.1 document", content_type = "application/json", body = Object)))]
#[rocket::get("/openapi.json")]
fn document() -> Json<&'static serde_json::Value> {
    Json(spec())
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "bookbridge",
        description = "Matches donated books to rural schools: schools post wish lists, donors \
            pledge copies, volunteers ship them and the school confirms delivery.\n\n\
            Writes need `Authorization: Bearer <token>` from `POST /sessions`. Every error is \
            `{\"error\": {\"code\", \"message\", \"field\"?, ...}}`; `code` is stable and \
            machine-readable, `field` names the request field at fault.",
        license(name = "AGPL-3.0-or-later", identifier = "AGPL-3.0-or-later"),
    ),
    servers((url = "/api/v1")),
    paths(
        accounts::register, accounts::login, accounts::logout, accounts::logout_everywhere,
        accounts::me, accounts::update_me, notices::mine,
        vetting::list, vetting::approve, vetting::suspend, vetting::reinstate,
        vetting::make_coordinator, vetting::unmake_coordinator, vetting::verify,
        audit::list, audit::export,
        schools::create, schools::list, schools::show,
        wishlists::add, wishlists::list, wishlists::change, wishlists::close,
        shelves::show, shelves::add,
        books::show, books::edit,
        pledges::create, pledges::list, pledges::show, pledges::cancel, pledges::extend,
        pledges::move_status, pledges::correct_tracking, pledges::events,
        parcels::show, parcels::posted, parcels::delivered, parcels::tracking,
        boxes::propose, boxes::confirm,
        search::search,
        imports::import_books, imports::import_wishlist, imports::import_shelf,
        imports::export_wishlist, imports::export_pledges,
        health::health,
        webhooks::register,
        webhooks::list,
        webhooks::remove,
        admin::figures, admin::figures_csv,
        booklists::create, booklists::add_book, booklists::list, booklists::show,
        wishes::create, wishes::school_wishes, wishes::classes, wishes::list, wishes::show,
        wishes::consent, wishes::claim, wishes::claim_several, wishes::thanks, wishes::withdraw,
        wishes::put_photo, wishes::get_photo, wishes::put_thanks_photo, wishes::get_thanks_photo,
        wechat::sign_in, wechat::standing, wechat::bind, wechat::subscribe,
        document,
    ),
    components(schemas(ErrorBody, ErrorDetail)),
    modifiers(&BearerAuth),
    tags(
        (name = "accounts", description = "Registering, signing in and out"),
        (name = "schools", description = "Schools and their wish lists"),
        (name = "books", description = "The catalogue and search"),
        (name = "pledges", description = "Pledges and their lifecycle: pledged -> shipped -> delivered, \
            pledged -> cancelled, shipped -> lost | returned"),
        (name = "files", description = "Imports and CSV exports"),
        (name = "wishes", description = "Curated book lists and children's own reading wishes: \
            written down by their school with a guardian's consent, claimed by one donor each, \
            answered with the child's thanks"),
        (name = "wechat", description = "The WeChat mini program: signing in with `wx.login`, binding \
            WeChat to an account, and the subscribe messages a person accepted (each allows one \
            notice as a WeChat message). Every path answers 404 while WeChat is off."),
        (name = "meta", description = "Health and this document"),
    ),
)]
pub struct ApiDoc;

/// Declares the bearer scheme that `security(("bearer" = []))` refers to.
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("A token from `POST /sessions`"))
                    .build(),
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use utoipa::openapi::path::{Parameter, ParameterIn};
    use utoipa::openapi::RefOr;

    use super::*;

    fn parameter(p: &RefOr<Parameter>) -> Option<&Parameter> {
        match p {
            RefOr::T(p) => Some(p),
            RefOr::Ref(_) => None,
        }
    }

    /// `(METHOD, /path/{param})` with the query parameter names, from Rocket's routes.
    fn rocket_routes() -> BTreeSet<(String, String, BTreeSet<String>)> {
        super::super::routes()
            .iter()
            .map(|route| {
                let path = route
                    .uri
                    .path()
                    .split('/')
                    .filter(|s| !s.is_empty())
                    .map(
                        |s| match s.strip_prefix('<').and_then(|s| s.strip_suffix('>')) {
                            Some(name) => format!("/{{{name}}}"),
                            None => format!("/{s}"),
                        },
                    )
                    .collect::<String>();
                let query = route
                    .uri
                    .query()
                    .map(|q| {
                        q.split('&')
                            .map(|p| p.trim_matches(['<', '>']).to_owned())
                            .collect()
                    })
                    .unwrap_or_default();
                (route.method.as_str().to_owned(), path, query)
            })
            .collect()
    }

    fn documented() -> BTreeSet<(String, String, BTreeSet<String>)> {
        let doc = ApiDoc::openapi();
        let mut out = BTreeSet::new();
        for (path, item) in &doc.paths.paths {
            let operations = [
                ("GET", &item.get),
                ("POST", &item.post),
                ("PATCH", &item.patch),
                ("DELETE", &item.delete),
                ("PUT", &item.put),
            ];
            for (method, operation) in operations {
                let Some(operation) = operation else { continue };
                let query = operation
                    .parameters
                    .iter()
                    .flatten()
                    .filter_map(parameter)
                    .filter(|p| p.parameter_in == ParameterIn::Query)
                    .map(|p| p.name.clone())
                    .collect();
                out.insert((method.to_owned(), path.clone(), query));
            }
        }
        out
    }

    #[test]
    fn every_route_is_documented_with_its_query_parameters_and_nothing_else() {
        let routes = rocket_routes();
        let documented = documented();
        let undocumented: Vec<_> = routes.difference(&documented).collect();
        let phantom: Vec<_> = documented.difference(&routes).collect();
        assert!(
            undocumented.is_empty() && phantom.is_empty(),
            "routes missing from the document: {undocumented:?}\n\
             documented but not routed: {phantom:?}"
        );
        assert!(routes.len() >= 25, "only {} routes found", routes.len());
    }

    #[test]
    fn every_path_parameter_is_documented() {
        let doc = ApiDoc::openapi();
        for (path, item) in &doc.paths.paths {
            let names: BTreeSet<&str> = path
                .split('/')
                .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
                .collect();
            for operation in [&item.get, &item.post, &item.patch, &item.delete]
                .into_iter()
                .flatten()
            {
                let documented: BTreeSet<&str> = operation
                    .parameters
                    .iter()
                    .flatten()
                    .filter_map(parameter)
                    .filter(|p| p.parameter_in == ParameterIn::Path)
                    .map(|p| p.name.as_str())
                    .collect();
                assert_eq!(documented, names, "path parameters of {path}");
            }
        }
    }

    #[test]
    fn write_routes_declare_bearer_auth_and_error_answers() {
        let doc = serde_json::to_value(ApiDoc::openapi()).unwrap();
        let login = &doc["paths"]["/sessions"]["post"];
        assert!(login.get("security").is_none(), "signing in needs no token");
        let pledge = &doc["paths"]["/pledges"]["post"];
        assert_eq!(pledge["security"][0]["bearer"], serde_json::json!([]));
        for status in ["201", "400", "401", "403", "409", "413", "422"] {
            assert!(
                pledge["responses"].get(status).is_some(),
                "POST /pledges does not document {status}"
            );
        }
        assert_eq!(
            doc["components"]["securitySchemes"]["bearer"]["scheme"],
            "bearer"
        );
    }

    #[test]
    fn every_operation_has_its_own_meaningful_id() {
        let doc = serde_json::to_value(ApiDoc::openapi()).unwrap();
        let mut ids = std::collections::BTreeMap::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, operation) in item.as_object().unwrap() {
                let id = operation["operationId"]
                    .as_str()
                    .unwrap_or_else(|| panic!("{method} {path} has no operationId"));
                assert!(
                    id.chars().next().is_some_and(|c| c.is_ascii_lowercase())
                        && id.chars().any(|c| c.is_ascii_uppercase()),
                    "{method} {path}: `{id}` is not a verbNoun id"
                );
                if let Some(other) = ids.insert(id.to_owned(), format!("{method} {path}")) {
                    panic!("`{id}` names both {other} and {method} {path}");
                }
            }
        }
        assert!(ids.len() >= 30, "only {} operations", ids.len());
    }

    /// Whether a client (or a reader) can see what `schema` looks like filled in: it carries
    /// an example, or it is an object whose every property can, or a list of such items.
    fn exemplified(doc: &serde_json::Value, schema: &serde_json::Value, depth: u8) -> bool {
        if depth > 8 {
            return false;
        }
        if let Some(target) = schema["$ref"].as_str() {
            let name = target.trim_start_matches("#/components/schemas/");
            return exemplified(doc, &doc["components"]["schemas"][name], depth + 1);
        }
        if schema.get("example").is_some() || schema.get("examples").is_some() {
            return true;
        }
        for any in ["oneOf", "anyOf", "allOf"] {
            if let Some(options) = schema[any].as_array() {
                return options.iter().all(|o| exemplified(doc, o, depth + 1));
            }
        }
        if let Some(items) = schema.get("items") {
            return exemplified(doc, items, depth + 1);
        }
        match schema["properties"].as_object() {
            Some(properties) => properties.values().all(|p| exemplified(doc, p, depth + 1)),
            // A map of counts, say: its values show the shape.
            None => schema
                .get("additionalProperties")
                .is_some_and(|v| exemplified(doc, v, depth + 1)),
        }
    }

    #[test]
    fn every_body_and_answer_has_an_example() {
        let doc = spec().clone();
        let mut missing = Vec::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, operation) in item.as_object().unwrap() {
                let mut contents: Vec<(String, &serde_json::Value)> = Vec::new();
                if let Some(body) = operation["requestBody"]["content"].as_object() {
                    contents.extend(body.iter().map(|(kind, c)| (format!("request {kind}"), c)));
                }
                for (status, answer) in operation["responses"].as_object().unwrap() {
                    if let Some(body) = answer["content"].as_object() {
                        contents
                            .extend(body.iter().map(|(kind, c)| (format!("{status} {kind}"), c)));
                    }
                }
                for (what, content) in contents {
                    let shown = content.get("example").is_some()
                        || content.get("examples").is_some()
                        || exemplified(&doc, &content["schema"], 0);
                    if !shown {
                        missing.push(format!("{method} {path}: {what}"));
                    }
                }
            }
        }
        assert!(
            missing.is_empty(),
            "no example for:\n{}",
            missing.join("\n")
        );
    }

    #[test]
    fn every_example_fits_its_schema() {
        let doc = spec();
        let mut checked = 0;
        let mut wrong = Vec::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, operation) in item.as_object().unwrap() {
                let mut contents: Vec<&serde_json::Value> = Vec::new();
                if let Some(body) = operation["requestBody"]["content"].as_object() {
                    contents.extend(body.values());
                }
                for answer in operation["responses"].as_object().unwrap().values() {
                    if let Some(body) = answer["content"].as_object() {
                        contents.extend(body.values());
                    }
                }
                for content in contents {
                    let (Some(example), Some(schema)) =
                        (content.get("example"), content.get("schema"))
                    else {
                        continue;
                    };
                    // The schema with the document's components beside it, so `$ref`s resolve.
                    let mut rooted = schema.clone();
                    rooted["components"] = doc["components"].clone();
                    let validator = jsonschema::validator_for(&rooted).expect("a valid schema");
                    if let Err(error) = validator.validate(example) {
                        wrong.push(format!("{method} {path}: {error}"));
                    }
                    checked += 1;
                }
            }
        }
        assert!(
            wrong.is_empty(),
            "examples that do not fit:\n{}",
            wrong.join("\n")
        );
        // The check can fail: a pledge without a quantity and with a numeric ISBN does not fit.
        let pledge = serde_json::json!({
            "$ref": "#/components/schemas/PledgeBody",
            "components": doc["components"].clone()
        });
        let validator = jsonschema::validator_for(&pledge).unwrap();
        assert!(!validator.is_valid(&serde_json::json!({"isbn": 9780060775858_u64})));
        assert!(validator.is_valid(&serde_json::json!({"isbn": "9780060775858", "quantity": 1})));
        assert!(checked > 150, "only {checked} examples checked");
    }
}
