//! Rebuilds when the embedded demo project gains or loses files.

fn main() {
    println!("cargo:rerun-if-changed=assets/demo");
}
