SELECT event_key, event_id, event_time, event_source, event_name, error_code, account_id, aws_region, principal,
    source_ip, user_agent, source_file, source_record FROM events
