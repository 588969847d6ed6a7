//! The build script of every function crate and of the hello-world floor: it links the
//! binary as a position-dependent executable (`-no-pie`).
//!
//! A position-independent function binary carries about 21,000 relative relocations. The
//! dynamic loader applies them on every cold start and dirties about 300 KiB of pages in
//! doing so. Linked position-dependent, the linker resolves them once and init is about
//! 0.25 ms shorter (BENCHMARKS.md). The cost is that the binary's own code and data load at
//! a fixed address: ASLR still places the stack, heap and shared libraries.
//!
//! The flag goes to binaries alone, because a shared object such as a proc-macro cannot be
//! linked with `-no-pie`.

fn main() {
    println!("cargo::rustc-link-arg-bins=-no-pie");

    // The output never changes. Without a rerun line Cargo would rerun this on every edit.
    println!("cargo::rerun-if-changed=Cargo.toml");
}
