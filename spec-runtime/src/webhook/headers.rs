//! Read access to request headers.

/// Request headers, looked up by name without regard to ASCII case.
///
/// Implemented for [`http::HeaderMap`], slices, arrays and vectors of `(name, value)` pairs, and
/// [`SignedHeaders`](super::SignedHeaders).
pub trait Headers {
    /// The first value of the header `name`, as raw bytes.
    fn header(&self, name: &str) -> Option<&[u8]>;
}

impl<T: Headers + ?Sized> Headers for &T {
    fn header(&self, name: &str) -> Option<&[u8]> {
        (**self).header(name)
    }
}

impl Headers for http::HeaderMap {
    fn header(&self, name: &str) -> Option<&[u8]> {
        self.get(name).map(http::HeaderValue::as_bytes)
    }
}

impl<K: AsRef<str>, V: AsRef<[u8]>> Headers for [(K, V)] {
    fn header(&self, name: &str) -> Option<&[u8]> {
        self.iter()
            .find(|(k, _)| k.as_ref().eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_ref())
    }
}

impl<K: AsRef<str>, V: AsRef<[u8]>, const N: usize> Headers for [(K, V); N] {
    fn header(&self, name: &str) -> Option<&[u8]> {
        self.as_slice().header(name)
    }
}

impl<K: AsRef<str>, V: AsRef<[u8]>> Headers for Vec<(K, V)> {
    fn header(&self, name: &str) -> Option<&[u8]> {
        self.as_slice().header(name)
    }
}
