//! napi-rs link settings for Node addons.
fn main() {
    napi_build::setup();
}
