//! Every compile error `define_integration!` and `#[derive(DeserializeOpen)]` promise, with the caret on the
//! offending token, and declarations that must compile and run.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("ui/pass/*.rs");
    t.compile_fail("ui/fail/*.rs");
}
