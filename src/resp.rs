//! RESP request parsing: multibulk (`*N\r\n$len\r\n...`) and inline commands,
//! with Redis's protocol errors and limits. Pure byte slicing, no I/O.
