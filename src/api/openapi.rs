//! The OpenAPI 3.1 document, derived from the routes' `#[utoipa::path]` attributes and the
//! types they answer with. A unit test below compares it with Rocket's own route table, so
//! an endpoint cannot be added, moved or given a new query parameter without the document
//! following.

use rocket::serde::json::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{IntoResponses, Modify, OpenApi, ToSchema};

use super::{accounts, books, health, imports, pledges, schools, search, wishlists};

pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![document]
}

/// The document, built once: it is fixed when the binary is.
pub fn spec() -> &'static utoipa::openapi::OpenApi {
    static SPEC: std::sync::LazyLock<utoipa::openapi::OpenApi> =
        std::sync::LazyLock::new(ApiDoc::openapi);
    &SPEC
}

/// The document itself.
#[utoipa::path(get, path = "/openapi.json", tag = "meta",
    summary = "This document",
    responses((status = 200, description = "The OpenAPI 3.1 document", content_type = "application/json", body = Object)))]
#[rocket::get("/openapi.json")]
fn document() -> Json<&'static utoipa::openapi::OpenApi> {
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
        accounts::register, accounts::login, accounts::logout, accounts::me,
        schools::create, schools::list, schools::show,
        wishlists::add, wishlists::list, wishlists::change, wishlists::close,
        books::show, books::edit,
        pledges::create, pledges::list, pledges::show, pledges::cancel,
        pledges::move_status, pledges::events,
        search::search,
        imports::import_books, imports::import_wishlist,
        imports::export_wishlist, imports::export_pledges,
        health::health,
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

/// Every error answer. (`ApiError::body` writes it; these types only describe it.)
#[derive(ToSchema)]
pub struct ErrorBody {
    /// What went wrong.
    pub error: ErrorDetail,
}

/// The error object. Some codes carry more facts: `invalid_transition` has `from` and `to`,
/// `insufficient_need` has `outstanding`, `quantity_below_committed` has `committed`.
#[derive(ToSchema)]
pub struct ErrorDetail {
    /// Stable, machine-readable: `malformed_json`, `unauthenticated`, `invalid_credentials`,
    /// `forbidden`, `not_found`, `email_taken`, `school_exists`, `invalid_transition`,
    /// `insufficient_need`, `quantity_below_committed`, `wishlist_item_closed`, `conflict`,
    /// `body_too_large`, `validation_failed`, `invalid_isbn`, `database_unavailable`.
    pub code: String,
    /// For a person.
    pub message: String,
    /// The request field at fault, when there is one.
    #[schema(nullable = false)]
    pub field: Option<String>,
}

/// What any route that requires a token may answer.
#[derive(IntoResponses)]
pub enum AuthErrors {
    /// No token, a malformed `Authorization` header, or a token that expired or was revoked
    /// (`unauthenticated`).
    #[response(status = 401)]
    Unauthenticated(ErrorBody),
    /// Signed in, but this role or account may not do this (`forbidden`).
    #[response(status = 403)]
    Forbidden(ErrorBody),
}

/// What any route that reads a JSON body may answer.
#[derive(IntoResponses)]
pub enum BodyErrors {
    /// Not JSON (`malformed_json`).
    #[response(status = 400)]
    Malformed(ErrorBody),
    /// Larger than the `limits.json` limit (`body_too_large`).
    #[response(status = 413)]
    TooLarge(ErrorBody),
    /// JSON of the wrong shape or with a bad value; `field` names it (`validation_failed`,
    /// `invalid_isbn`).
    #[response(status = 422)]
    Invalid(ErrorBody),
}

/// What any route that names a resource in its path may answer.
#[derive(IntoResponses)]
pub enum PathErrors {
    /// Nothing with that id, or nothing this caller may see (`not_found`).
    #[response(status = 404)]
    NotFound(ErrorBody),
    /// An id that is not a whole number, or an ISBN that does not check out
    /// (`validation_failed`, `invalid_isbn`), or a bad query parameter.
    #[response(status = 422)]
    Invalid(ErrorBody),
}

/// What a route with only query parameters may answer for a bad one.
#[derive(IntoResponses)]
pub enum QueryErrors {
    /// A query parameter out of range or of the wrong kind; `field` names it
    /// (`validation_failed`).
    #[response(status = 422)]
    Invalid(ErrorBody),
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
}
