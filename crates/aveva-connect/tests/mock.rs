//! The typed mocks (`mock` feature) driving the real client.
