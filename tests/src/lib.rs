//! Black-box tests of the API live in `tests/`.
