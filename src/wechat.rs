//! WeChat's server API, called with reqwest (rustls): the sign-in code exchange
//! (`jscode2session`), the stable access token and subscribe messages. Every call has a
//! timeout and reads at most [`MAX_ANSWER_BYTES`]; every failure comes back as a
//! [`WeChatFailure`], never a panic. What the answers mean is the domain's business
//! (`domain::wechat`); when to refresh the token and whom to tell, the use cases'.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::domain::notices::NoticeKind;
use crate::domain::wechat::{SubscribeMessage, WeChatFailure, WeChatUser};

/// WeChat's answers are a few hundred bytes; anything longer is not one.
const MAX_ANSWER_BYTES: usize = 64 << 10;

/// WeChat's settings, from `wechat_*` (see `Config::wechat`).
#[derive(Clone)]
pub struct WeChatSettings {
    /// The mini program's appid.
    pub appid: String,
    /// Its secret (never logged, never shown).
    pub secret: String,
    /// WeChat's API (`https://api.weixin.qq.com`; tests point it at a stand-in).
    pub api_url: String,
    /// The template each notice kind goes out with.
    pub templates: BTreeMap<NoticeKind, String>,
    /// `formal`, `trial` or `developer`: which version of the mini program a message opens.
    pub miniprogram_state: String,
}

impl std::fmt::Debug for WeChatSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the secret.
        f.debug_struct("WeChatSettings")
            .field("appid", &self.appid)
            .field("api_url", &self.api_url)
            .field("templates", &self.templates)
            .finish_non_exhaustive()
    }
}

/// The WeChat client, one per server.
pub struct WeChat {
    http: reqwest::Client,
    settings: WeChatSettings,
}

impl std::fmt::Debug for WeChat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WeChat")
            .field("appid", &self.settings.appid)
            .field("api_url", &self.settings.api_url)
            .finish_non_exhaustive()
    }
}

/// A fresh access token and its lifetime in seconds.
#[derive(Debug, Clone, Deserialize)]
pub struct AccessToken {
    /// The token.
    pub access_token: String,
    /// Seconds it lasts.
    pub expires_in: i64,
}

impl WeChat {
    /// A client for `settings`.
    pub fn new(settings: WeChatSettings) -> Result<Self, String> {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(10))
            .user_agent(concat!("bookbridge/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("wechat client: {e}"))?;
        Ok(WeChat { http, settings })
    }

    /// The mini program's appid (the shared token is kept under it).
    pub fn appid(&self) -> &str {
        &self.settings.appid
    }

    /// The template notices of `kind` go out with, if any.
    pub fn template_for(&self, kind: NoticeKind) -> Option<&str> {
        self.settings.templates.get(&kind).map(String::as_str)
    }

    /// Every configured template, by kind.
    pub fn templates(&self) -> &BTreeMap<NoticeKind, String> {
        &self.settings.templates
    }

    /// Who a `wx.login` code belongs to. The session key WeChat also answers is dropped here.
    pub async fn code_to_session(&self, code: &str) -> Result<WeChatUser, WeChatFailure> {
        let request = self
            .http
            .get(format!("{}/sns/jscode2session", self.settings.api_url))
            .query(&[
                ("appid", self.settings.appid.as_str()),
                ("secret", self.settings.secret.as_str()),
                ("js_code", code),
                ("grant_type", "authorization_code"),
            ]);
        let answer = self.call(request).await?;
        match answer.get("openid").and_then(Value::as_str) {
            Some(openid) if !openid.is_empty() && openid.len() <= 128 => Ok(WeChatUser {
                openid: openid.to_owned(),
                unionid: answer
                    .get("unionid")
                    .and_then(Value::as_str)
                    .filter(|u| !u.is_empty() && u.len() <= 128)
                    .map(str::to_owned),
            }),
            _ => Err(WeChatFailure::Unreachable(
                "jscode2session answered without an openid".into(),
            )),
        }
    }

    /// A stable access token (`force`: a new one even if the current one is still valid).
    pub async fn stable_token(&self, force: bool) -> Result<AccessToken, WeChatFailure> {
        let request = self
            .http
            .post(format!("{}/cgi-bin/stable_token", self.settings.api_url))
            .json(&json!({
                "grant_type": "client_credential",
                "appid": self.settings.appid,
                "secret": self.settings.secret,
                "force_refresh": force,
            }));
        let answer = self.call(request).await?;
        serde_json::from_value::<AccessToken>(answer)
            .ok()
            .filter(|t| !t.access_token.is_empty() && t.expires_in > 0)
            .ok_or_else(|| {
                WeChatFailure::Unreachable("stable_token answered without a token".into())
            })
    }

    /// Sends a subscribe message to `openid` with `token`.
    pub async fn send(
        &self,
        token: &str,
        openid: &str,
        message: &SubscribeMessage,
    ) -> Result<(), WeChatFailure> {
        let data: Map<String, Value> = message
            .data
            .iter()
            .map(|(key, value)| (key.clone(), json!({ "value": value })))
            .collect();
        let request = self
            .http
            .post(format!(
                "{}/cgi-bin/message/subscribe/send",
                self.settings.api_url
            ))
            .query(&[("access_token", token)])
            .json(&json!({
                "touser": openid,
                "template_id": message.template_id,
                "page": message.page,
                "data": data,
                "miniprogram_state": self.settings.miniprogram_state,
                "lang": message.lang,
            }));
        self.call(request).await.map(drop)
    }

    /// Sends `request` and reads its JSON answer: an `errcode` other than 0 is a refusal.
    async fn call(&self, request: reqwest::RequestBuilder) -> Result<Value, WeChatFailure> {
        let unreachable =
            |e: reqwest::Error| WeChatFailure::Unreachable(e.without_url().to_string());
        let mut response = request.send().await.map_err(unreachable)?;
        if !response.status().is_success() {
            return Err(WeChatFailure::Unreachable(format!(
                "HTTP {}",
                response.status()
            )));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(unreachable)? {
            if body.len() + chunk.len() > MAX_ANSWER_BYTES {
                return Err(WeChatFailure::Unreachable("the answer is too long".into()));
            }
            body.extend_from_slice(&chunk);
        }
        let answer: Value = serde_json::from_slice(&body)
            .map_err(|_| WeChatFailure::Unreachable("the answer is not JSON".into()))?;
        match answer.get("errcode").and_then(Value::as_i64) {
            Some(0) | None => Ok(answer),
            Some(errcode) => Err(WeChatFailure::Refused {
                errcode,
                errmsg: answer
                    .get("errmsg")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .chars()
                    .take(200)
                    .collect(),
            }),
        }
    }
}
