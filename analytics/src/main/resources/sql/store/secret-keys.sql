SELECT secret_key FROM secret_keys
