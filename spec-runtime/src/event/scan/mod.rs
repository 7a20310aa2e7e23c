//! One pass over a JSON document that checks it and picks out the values at a set of JSON pointers, as
//! borrowed raw text.
//!
//! A [`Plan`] is a tree of the pointers' segments. Scanning reads the document once with a hand-written
//! reader ([`cursor`]): it descends into the members the plan names and skips everything else with a
//! validating skip that allocates nothing; a value the plan captures is taken as its text, still in the
//! input, and a captured value with pointers below it (the event's object and the object's id) is read in
//! the same pass. The whole document is checked (RFC 8259: strings, escapes, numbers, literals, and nothing
//! after the value but whitespace), and nesting deeper than the given limit is refused before it is read.

mod cursor;
#[cfg(test)]
mod tests;

use cursor::{Cursor, Stop};

/// Why a document was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ScanError {
    /// The text is not one JSON value: what was expected, and where.
    Invalid(String),
    /// Arrays and objects nest deeper than the limit.
    TooDeep,
}

/// The pointers to capture, as a tree of segments; each pointer gets a slot in the scan's output.
#[derive(Debug, Clone, Default)]
pub(crate) struct Plan {
    root: Node,
    slots: usize,
}

#[derive(Debug, Clone, Default)]
struct Node {
    children: Vec<Child>,
    /// Slots captured at this node.
    captures: Vec<usize>,
}

#[derive(Debug, Clone)]
struct Child {
    key: String,
    /// The segment as an array index, when it is one (`0`, `12`; no leading zeros).
    index: Option<usize>,
    node: Node,
}

/// What a scan found: for each slot, the raw JSON text of the value (never `null`), or `None`.
pub(crate) type Found<'a> = Vec<Option<&'a str>>;

impl Plan {
    /// Adds a JSON pointer (RFC 6901; `""` is the whole document) and returns its slot; `None` when the
    /// pointer is malformed (it then never matches).
    pub(crate) fn add(&mut self, pointer: &str) -> Option<usize> {
        let segments = segments(pointer)?;
        let slot = self.slots;
        self.slots += 1;
        let mut node = &mut self.root;
        for segment in segments {
            let at = match node.children.iter().position(|c| c.key == segment) {
                Some(at) => at,
                None => {
                    let index = array_index(&segment);
                    node.children.push(Child {
                        key: segment,
                        index,
                        node: Node::default(),
                    });
                    node.children.len() - 1
                }
            };
            node = &mut node.children[at].node;
        }
        node.captures.push(slot);
        Some(slot)
    }

    /// Scans `json`, which must be exactly one JSON value (surrounding whitespace allowed) nesting at most
    /// `limit` arrays and objects (the outermost counts as one; at most 127): the whole document is checked,
    /// so an error means the text is not JSON, or nests too deep.
    pub(crate) fn scan<'a>(&self, json: &'a str, limit: usize) -> Result<Found<'a>, ScanError> {
        let mut out = vec![None; self.slots];
        let mut cursor = Cursor::new(json, limit);
        let read = value(&mut cursor, &self.root, 0, &mut out).and_then(|()| {
            cursor.whitespace();
            match cursor.peek() {
                Some(_) => cursor.fail("nothing after the JSON value"),
                None => Ok(()),
            }
        });
        match read {
            Ok(()) => Ok(out),
            Err(Stop) => Err(cursor.error()),
        }
    }
}

/// The segments of a JSON pointer, unescaped (`~1` → `/`, `~0` → `~`).
fn segments(pointer: &str) -> Option<Vec<String>> {
    if pointer.is_empty() {
        return Some(Vec::new());
    }
    let rest = pointer.strip_prefix('/')?;
    Some(
        rest.split('/')
            .map(|s| s.replace("~1", "/").replace("~0", "~"))
            .collect(),
    )
}

fn array_index(segment: &str) -> Option<usize> {
    let canonical = segment == "0" || (!segment.starts_with('0') && segment.bytes().all(|b| b.is_ascii_digit()));
    if canonical { segment.parse().ok() } else { None }
}

/// Reads one value at `node`, enclosed by `depth` containers, writing captures into `out`.
fn value<'a>(cursor: &mut Cursor<'a>, node: &Node, depth: usize, out: &mut [Option<&'a str>]) -> Result<(), Stop> {
    cursor.whitespace();
    let start = cursor.pos;
    match (cursor.peek(), node.children.is_empty()) {
        (Some(b'{'), false) => object(cursor, node, depth.saturating_add(1), out)?,
        (Some(b'['), false) => array(cursor, node, depth.saturating_add(1), out)?,
        _ => cursor.skip_value(depth)?,
    }
    if !node.captures.is_empty() {
        let text = cursor.text.get(start..cursor.pos).unwrap_or_default();
        if text != "null" {
            for &slot in &node.captures {
                if let Some(o) = out.get_mut(slot) {
                    *o = Some(text);
                }
            }
        }
    }
    Ok(())
}

/// Reads an object (at its `{`) at nesting `level`, descending into the members `node` names.
fn object<'a>(cursor: &mut Cursor<'a>, node: &Node, level: usize, out: &mut [Option<&'a str>]) -> Result<(), Stop> {
    cursor.enter(level)?;
    cursor.bump();
    cursor.whitespace();
    if cursor.peek() == Some(b'}') {
        cursor.bump();
        return Ok(());
    }
    loop {
        let key = cursor.key()?;
        match child(node, key, cursor.escaped) {
            Some(child) => value(cursor, &child.node, level, out)?,
            None => cursor.skip_value(level)?,
        }
        cursor.whitespace();
        match cursor.peek() {
            Some(b',') => cursor.bump(),
            Some(b'}') => {
                cursor.bump();
                return Ok(());
            }
            _ => return cursor.fail("`,` or `}` after an object member"),
        }
    }
}

/// Reads an array (at its `[`) at nesting `level`, descending into the elements `node` names.
fn array<'a>(cursor: &mut Cursor<'a>, node: &Node, level: usize, out: &mut [Option<&'a str>]) -> Result<(), Stop> {
    cursor.enter(level)?;
    cursor.bump();
    cursor.whitespace();
    if cursor.peek() == Some(b']') {
        cursor.bump();
        return Ok(());
    }
    let mut i = 0usize;
    loop {
        match node.children.iter().find(|c| c.index == Some(i)) {
            Some(child) => value(cursor, &child.node, level, out)?,
            None => cursor.skip_value(level)?,
        }
        cursor.whitespace();
        match cursor.peek() {
            Some(b',') => cursor.bump(),
            Some(b']') => {
                cursor.bump();
                return Ok(());
            }
            _ => return cursor.fail("`,` or `]` after an array element"),
        }
        i = i.saturating_add(1);
    }
}

/// The child of `node` named by a member's key, as written (`escaped`: it contains escapes, which are
/// decoded before comparing; a key that does not decode matches nothing).
fn child<'n>(node: &'n Node, key: &str, escaped: bool) -> Option<&'n Child> {
    if node.children.is_empty() {
        return None;
    }
    if !escaped {
        return node.children.iter().find(|c| c.key == key);
    }
    let decoded: String = serde_json::from_str(&format!("\"{key}\"")).ok()?;
    node.children.iter().find(|c| c.key == decoded)
}
