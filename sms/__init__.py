"""SMS: the ``SmsGateway`` protocol and its HTTP, SMPP 3.4 and file implementations,
templates with variables, and the sending windows (the compliance guard has the last word)."""
