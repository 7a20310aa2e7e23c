//! localstripe starts on loopback and answers.

#[test]
fn localstripe_starts_on_loopback() {
    let Some(ls) = tests::peers::LocalStripe::start() else {
        return;
    };
    assert!(ls.url.starts_with("http://127.0.0.1:"));
    let port: u16 = ls.url.rsplit(':').next().unwrap().parse().unwrap();
    assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_ok());
}
